// `memory-vault approvals`: the owner's terminal for a running server (e.g. one started by a
// service manager without a terminal). Interactive by default; --list/--approve/--deny for scripts.
// Invariant: interactively, this is the same deliberate prompt as serve's (approval-prompt.ts):
// the server is polled, a request that stops waiting is redrawn away with the keys typed for it
// discarded, no key counts before the arming interval, and each decision carries the digest of
// the view drawn. Answers from the owner socket are parsed, never cast.
import { join } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { approvalDigest } from '../../core/approvals/approval-digest.js';
import { VaultError } from '../../core/errors.js';
import { levelSchema } from '../../core/model/store-input.js';
import { usePurposeSchema } from '../../core/secrets/use-purpose.js';
import { OWNER_SOCKET } from '../../node/agent-api/vault-server.js';
import type { OwnerMethod } from '../../node/agent-api/owner-protocol.js';
import { resolveVaultDir } from '../../node/vault/vault-paths.js';
import { attachApprovalPrompt, realSchedule, type ApprovalPromptOptions } from '../io/approval-prompt.js';
import { describeRequest } from '../io/approval-request-text.js';
import { emit } from '../io/output.js';
import { withOwnerChannel } from '../io/owner-channel.js';
import type { GlobalOptions } from '../io/vault-access.js';
import { intOption, run } from './run.js';

/** How often the interactive prompt asks the server what is pending (the channel has no push). */
export const POLL_MS = 1000;

// Loose: fields this client does not display still reach `--list --json` as the server sent them.
const viewSchema = z.looseObject({
  requestId: z.string().uuid(),
  state: z.string().max(32),
  level: levelSchema,
  requester: z.looseObject({ type: z.string(), id: z.string(), name: z.string() }),
  memory: z.looseObject({
    id: z.string(),
    shortId: z.string(),
    namespace: z.string(),
    createdBy: z.string(),
    title: z.string(),
    tags: z.array(z.string()),
    metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  }),
  justification: z.string(),
  environment: z.string(),
  createdAt: z.number(),
  expiresAt: z.number(),
  grantAllowed: z.boolean(),
  // Issue 19: the command a use request resolves its secret for (shown, and part of the digest).
  purpose: usePurposeSchema.optional(),
});
export type OwnerApprovalView = z.infer<typeof viewSchema>;
const viewListSchema = z.array(viewSchema).max(100_000);

/** One owner-channel call (OwnerClient.call, or a fake in tests). */
export type OwnerCall = (method: Extract<OwnerMethod, 'approvals.list' | 'approvals.decide'>, params?: object) => Promise<unknown>;

export interface OwnerApprovalSessionOptions extends ApprovalPromptOptions {
  /** Milliseconds between polls of the server (default POLL_MS). */
  readonly pollMs?: number;
}

/**
 * The interactive loop: decide requests one at a time until none is pending. Resolves with the
 * number of decisions recorded; rejects if the server fails (connection lost, bad answer).
 */
export async function ownerApprovalSession(
  call: OwnerCall,
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  opts: OwnerApprovalSessionOptions = {},
): Promise<number> {
  const schedule = opts.schedule ?? realSchedule;
  const pollMs = opts.pollMs ?? POLL_MS;
  /** Requests this session decided, with the state the server answered: never drawn again. */
  const decided = new Map<string, string>();
  let listed: OwnerApprovalView[] = [];
  // Answers can cross: only a list asked for after the one applied replaces it.
  let asked = 0;
  let applied = 0;
  const load = async () => {
    const mine = ++asked;
    const list = viewListSchema.parse(await call('approvals.list'));
    if (mine > applied) {
      applied = mine;
      listed = list;
    }
  };
  await load();
  if (listed.length === 0) return 0;

  return new Promise<number>((resolve, reject) => {
    let cancelPoll: () => void = () => undefined;
    let settled = false;
    const end = (e: unknown) => {
      if (settled) return;
      settled = true;
      cancelPoll();
      prompt.detach();
      if (e === null) resolve(decided.size);
      else reject(e instanceof Error ? e : new VaultError('INTERNAL', 'The approvals session failed.'));
    };
    const prompt = attachApprovalPrompt<OwnerApprovalView>(
      {
        pending: () => listed.filter((v) => !decided.has(v.requestId)),
        stateOf: (id) =>
          decided.get(id) ?? (listed.some((v) => v.requestId === id) ? 'pending' : 'expired, cancelled or decided elsewhere'),
        decide: async (view, decision, digest) => {
          const answer = viewSchema.parse(
            await call('approvals.decide', {
              requestId: view.requestId,
              approve: decision.approve,
              ...(decision.approve && decision.grantMinutes ? { grantMinutes: decision.grantMinutes } : {}),
              digest,
            }),
          );
          decided.set(answer.requestId, answer.state);
          await load().catch(end);
        },
      },
      input,
      output,
      opts,
    );
    const poll = () => {
      cancelPoll = schedule(() => {
        load().then(() => {
          if (settled) return;
          prompt.refresh();
          if (prompt.idle && listed.every((v) => decided.has(v.requestId))) end(null);
          else poll();
        }, end);
      }, pollMs);
    };
    poll();
  });
}

export function registerApprovals(program: Command, globals: () => GlobalOptions): void {
  program
    .command('approvals')
    .description('Review and decide pending recall requests of a running `memory-vault serve`')
    .option('--list', 'print pending requests and exit')
    .option('--approve <requestId>', 'approve one request')
    .option('--deny <requestId>', 'deny one request')
    .option('--grant <minutes>', 'with --approve on level 3: allow this agent+memory for N minutes (max 60)')
    .action((o: { list?: boolean; approve?: string; deny?: string; grant?: string }) =>
      run(globals(), async (g) => {
        const socket = join(resolveVaultDir(g.vault), OWNER_SOCKET);
        const r = await withOwnerChannel(g, socket, async (c): Promise<OwnerApprovalView[] | OwnerApprovalView | { decided: number }> => {
          const call: OwnerCall = (method, params) => c.call<unknown>(method, params);
          if (o.approve || o.deny) {
            const grantMinutes = o.grant !== undefined ? intOption(o.grant, '--grant', 1, 60) : undefined;
            // A decision carries the digest of the request it is about (APPROVAL_MISMATCH otherwise):
            // here that is the pending request the owner named by id, as the server lists it now.
            const named = viewListSchema.parse(await call('approvals.list')).find((v) => v.requestId === (o.approve ?? o.deny));
            if (!named) throw new VaultError('NOT_FOUND', 'No such pending approval request.');
            return viewSchema.parse(
              await call('approvals.decide', {
                requestId: named.requestId,
                approve: Boolean(o.approve),
                ...(grantMinutes ? { grantMinutes } : {}),
                digest: approvalDigest(named),
              }),
            );
          }
          if (o.list || g.json || !process.stdin.isTTY) return viewListSchema.parse(await call('approvals.list'));
          return { decided: await ownerApprovalSession(call, process.stdin, process.stdout) };
        });
        if (!r.used)
          throw new VaultError('VAULT_LOCKED', 'No vault server is running for this vault (start one with `memory-vault serve`).');
        emit(g, r.value, (v) => {
          if (Array.isArray(v)) return v.length ? v.map((x) => describeRequest(x)).join('\n\n') : 'No pending requests.';
          if ('decided' in v) return v.decided ? `No more pending requests (${v.decided} decided here).` : 'No pending requests.';
          return `Request ${v.requestId} is now ${v.state}.`;
        });
      }),
    );
}
