// `memory-vault approvals`: the owner's terminal for a running server (e.g. one started by a
// service manager without a terminal). Interactive by default; --list/--approve/--deny for scripts.
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import type { ApprovalView } from '../../core/approvals/approval-broker.js';
import { approvalDigest } from '../../core/approvals/approval-digest.js';
import { VaultError } from '../../core/errors.js';
import { OWNER_SOCKET } from '../../node/agent-api/vault-server.js';
import { resolveVaultDir } from '../../node/vault/vault-paths.js';
import { emit } from '../io/output.js';
import { withOwnerChannel } from '../io/owner-channel.js';
import { describeRequest } from '../io/terminal-approvals.js';
import type { GlobalOptions } from '../io/vault-access.js';
import { intOption, run } from './run.js';

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
        const r = await withOwnerChannel(g, socket, async (c) => {
          if (o.approve || o.deny) {
            const grantMinutes = o.grant !== undefined ? intOption(o.grant, '--grant', 1, 60) : undefined;
            // A decision carries the digest of the request it is about (APPROVAL_MISMATCH otherwise):
            // here that is the pending request the owner named by id, as the server lists it now.
            const named = (await c.call<ApprovalView[]>('approvals.list')).find((v) => v.requestId === (o.approve ?? o.deny));
            if (!named) throw new VaultError('NOT_FOUND', 'No such pending approval request.');
            return c.call<ApprovalView>('approvals.decide', { requestId: named.requestId, approve: Boolean(o.approve), ...(grantMinutes ? { grantMinutes } : {}), digest: approvalDigest(named) });
          }
          const pending = await c.call<ApprovalView[]>('approvals.list');
          if (o.list || g.json || !process.stdin.isTTY) return pending;
          const rl = createInterface({ input: process.stdin, output: process.stdout });
          try {
            for (const v of pending) {
              process.stdout.write(`\n${describeRequest(v)}\n`);
              const a = (await rl.question(v.grantAllowed ? 'Approve? [y/n/g N] > ' : 'Approve? [y/n] > ')).trim().toLowerCase();
              const grant = /^g\s+(\d{1,2})$/.exec(a);
              // The digest of the view printed above, recomputed here from what was printed.
              if (a === 'y' || grant) await c.call('approvals.decide', { requestId: v.requestId, approve: true, ...(grant ? { grantMinutes: Number(grant[1]) } : {}), digest: approvalDigest(v) });
              else if (a === 'n') await c.call('approvals.decide', { requestId: v.requestId, approve: false, digest: approvalDigest(v) });
            }
          } finally {
            rl.close();
          }
          return pending;
        });
        if (!r.used) throw new VaultError('VAULT_LOCKED', 'No vault server is running for this vault (start one with `memory-vault serve`).');
        emit(g, r.value, (v) => (Array.isArray(v) ? (v.length ? v.map((x: ApprovalView) => describeRequest(x)).join('\n\n') : 'No pending requests.') : `Request ${(v as ApprovalView).requestId} is now ${(v as ApprovalView).state}.`));
      }),
    );
}
