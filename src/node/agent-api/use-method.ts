// `memory.handle` and `memory.use` (issue 19): an agent acts with a secret without seeing it.
// Invariants: a handle answer is a reference and metadata, never content; `memory.use` runs
// only a command the owner allowlisted for THIS agent (command-allowlist.service.ts; anything
// else is COMMAND_NOT_ALLOWED, audited), resolves every value through the engine's use path
// (levels, scope, approval bound to the command line, grants, audit leaf `memory.use`), hands
// the values to the child only in its environment, and answers with the child's masked output
// and exit status — the resolved values never reach a result, an error or a log line, and
// they are wiped once the child has exited.
import type { RecallOptions } from '../../core/engine/recall-pipeline.js';
import type { VaultEngine } from '../../core/engine/vault-engine.js';
import { VaultError, isVaultError } from '../../core/errors.js';
import type { MemorySummary } from '../../core/model/memory.js';
import { actorOf, mayReachLevel, mayUseNamespace, type Requester } from '../../core/model/requester.js';
import { memoryRefOf, parseMemoryRef } from '../../core/secrets/memory-ref.js';
import { usePurpose, type UsePurpose } from '../../core/secrets/use-purpose.js';
import { resolveSecrets, type ResolvedSecret } from '../secrets/secret-resolver.js';
import { runWithSecrets, type SecretRunOptions, type SecretRunResult } from '../secrets/secret-runner.js';
import type { AllowedCommand, CommandAllowlist } from './command-allowlist.service.js';
import type { HandleParams, UseParams } from './use-protocol.js';
import { settleWithin } from './settle-within.js';

type AgentRequester = Requester & { kind: 'agent' };

/** The child's environment besides its secrets: nothing of the server's own (tokens, passphrase files). */
export const AGENT_CHILD_BASE_ENV: Readonly<Record<string, string>> = { PATH: '/usr/local/bin:/usr/bin:/bin', LANG: 'C.UTF-8' };

const UNCOLLECTED_TTL_MS = 10 * 60_000;

/** What an agent receives for a finished use: masked output and how the child ended. */
export interface UseAnswer {
  readonly status: 'ok';
  readonly commandId: string;
  readonly commandDigest: string;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
  readonly stdout: { readonly text: string } | { readonly base64: string };
  readonly stderr: { readonly text: string } | { readonly base64: string };
  readonly stdoutTruncated: boolean;
  readonly stderrTruncated: boolean;
  /** Which memory each variable came from (reference and level), never its value. */
  readonly env: readonly { readonly name: string; readonly ref: string; readonly level: number }[];
}

export type Runner = (opts: SecretRunOptions) => Promise<SecretRunResult>;

interface UseJob {
  readonly agentId: string;
  readonly expiresAt: number;
  readonly abort: AbortController;
  outcome: { ok: true; answer: UseAnswer } | { ok: false; error: unknown } | null;
  readonly done: Promise<void>;
}

/** Masked bytes as text when they are UTF-8, else base64 (never silently altered). */
function streamPayload(b: Buffer): { text: string } | { base64: string } {
  const text = b.toString('utf8');
  return Buffer.from(text, 'utf8').equals(b) ? { text } : { base64: b.toString('base64') };
}

export class UseMethods {
  private readonly jobs = new Map<string, UseJob>();

  constructor(
    private readonly engine: VaultEngine,
    private readonly allowlist: CommandAllowlist,
    private readonly runner: Runner = runWithSecrets,
  ) {}

  /** A reference to a memory the agent may see, with its metadata; never content, not audited (like describe). */
  handle(p: HandleParams, agent: AgentRequester): { ref: string; memory: MemorySummary } {
    const memory = 'ref' in p ? this.engine.resolveMemoryRef(p.ref, agent) : this.byId(p.memoryId, agent);
    // Above the agent's level or tombstoned: as absent as a memory it cannot list.
    if (!mayReachLevel(agent, memory.level) || memory.tombstoned) throw new VaultError('NOT_FOUND', 'No memory matches this reference.');
    const field = p.field ?? ('ref' in p ? parseMemoryRef(p.ref).field : null) ?? undefined;
    return { ref: memoryRefOf(memory, field), memory };
  }

  private byId(memoryId: string, agent: AgentRequester): MemorySummary {
    let memory: MemorySummary;
    try {
      memory = this.engine.describe(memoryId);
    } catch (e) {
      if (isVaultError(e) && e.code === 'NOT_FOUND') throw new VaultError('NOT_FOUND', 'No memory matches this reference.');
      throw e;
    }
    if (!mayUseNamespace(agent, memory.namespace)) throw new VaultError('NOT_FOUND', 'No memory matches this reference.');
    return memory;
  }

  /**
   * Answers at once with the run's result, or — when a memory needs the owner's approval —
   * `pending` with a request id; `request.wait` on it then returns the result of the run.
   */
  use(p: UseParams, agent: AgentRequester): Promise<unknown> {
    return this.start(p, agent);
  }

  private async start(p: UseParams, agent: AgentRequester): Promise<unknown> {
    const names = Object.keys(p.env);
    let allowed: AllowedCommand;
    try {
      allowed = this.allowlist.resolve(agent.agentId, p.command, names);
    } catch (e) {
      if (isVaultError(e) && e.code === 'COMMAND_NOT_ALLOWED') await this.recordRefusal(agent, e);
      throw e;
    }
    const purpose = usePurpose(allowed.commandLine, allowed.entry.cwd);
    const abort = new AbortController();
    return new Promise((resolve, reject) => {
      let pendingId: string | null = null;
      let finish: () => void = () => undefined;
      const done = new Promise<void>((r) => (finish = r));
      const run = this.resolveAndRun(p, agent, allowed, purpose, {
        signal: abort.signal,
        onApprovalRequested: (requestId, expiresAt) => {
          // Several memories may each ask; the agent waits on the first request id for the whole use.
          if (pendingId !== null) return;
          pendingId = requestId;
          this.jobs.set(requestId, { agentId: agent.agentId, expiresAt, abort, outcome: null, done });
          resolve({ status: 'pending', requestId, expiresAt: new Date(expiresAt).toISOString() });
        },
      });
      // Not pending: the agent hears the outcome now. Pending: it is kept for request.wait.
      const settle = (outcome: NonNullable<UseJob['outcome']>) => {
        if (pendingId === null) return outcome.ok ? resolve(outcome.answer) : reject(outcome.error);
        const j = this.jobs.get(pendingId);
        if (j) {
          j.outcome = outcome;
          this.forgetLater(pendingId);
        }
        finish();
      };
      run.then(
        (answer) => settle({ ok: true, answer }),
        (error: unknown) => settle({ ok: false, error }),
      );
    });
  }

  private async resolveAndRun(
    p: UseParams,
    agent: AgentRequester,
    allowed: AllowedCommand,
    purpose: UsePurpose,
    opts: Pick<RecallOptions, 'signal' | 'onApprovalRequested'>,
  ): Promise<UseAnswer> {
    const requests = Object.entries(p.env).map(([name, ref]) => ({ name, ref }));
    const secrets: ResolvedSecret[] = await resolveSecrets(this.engine, requests, agent, purpose, {
      ...(p.justification !== undefined ? { justification: p.justification } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.onApprovalRequested ? { onApprovalRequested: opts.onApprovalRequested } : {}),
    });
    try {
      const [exec, ...argv] = allowed.commandLine;
      if (exec === undefined) throw new VaultError('INTERNAL', 'An allowed command without an executable.');
      const result = await this.runner({
        command: exec,
        args: argv,
        cwd: allowed.entry.cwd,
        baseEnv: AGENT_CHILD_BASE_ENV,
        secretEnv: secrets.map((s) => ({ name: s.name, value: s.value })),
        timeoutMs: allowed.entry.timeoutMs,
        stdin: 'ignore',
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      return {
        status: 'ok',
        commandId: allowed.entry.id,
        commandDigest: purpose.commandDigest,
        exitCode: result.exitCode,
        signal: result.signal,
        timedOut: result.timedOut,
        stdout: streamPayload(result.stdout),
        stderr: streamPayload(result.stderr),
        stdoutTruncated: result.stdoutTruncated,
        stderrTruncated: result.stderrTruncated,
        env: secrets.map((s) => ({ name: s.name, ref: s.ref, level: s.memory.level })),
      };
    } finally {
      for (const s of secrets) s.value.wipe();
    }
  }

  /** A refused use is a `memory.use` leaf before the agent hears of it (DESIGN §3). */
  private async recordRefusal(agent: AgentRequester, e: VaultError): Promise<void> {
    await this.engine.recordEvent(
      {
        kind: 'memory.use',
        actor: actorOf(agent),
        outcome: 'refused',
        code: e.code,
        reason: "The command is not on this agent's allowlist.",
      },
      'normal',
    );
  }

  /** Whether `requestId` is one of this agent's pending or finished uses (request.* route here). */
  owns(requestId: string, agentId: string): boolean {
    return this.jobs.get(requestId)?.agentId === agentId;
  }

  status(requestId: string, agentId: string): { requestId: string; ready: boolean; expiresAt: string; finished: boolean } {
    const job = this.own(requestId, agentId);
    return { requestId, ready: job.outcome?.ok === true, finished: job.outcome !== null, expiresAt: new Date(job.expiresAt).toISOString() };
  }

  async wait(requestId: string, agentId: string, timeoutMs: number): Promise<unknown> {
    const job = this.own(requestId, agentId);
    if (job.outcome === null && timeoutMs > 0) await settleWithin(job.done, timeoutMs);
    if (job.outcome === null) return { status: 'pending', requestId, expiresAt: new Date(job.expiresAt).toISOString() };
    this.jobs.delete(requestId);
    if (!job.outcome.ok) throw job.outcome.error;
    return job.outcome.answer;
  }

  /** The agent withdraws its use: a pending approval ends cancelled, a running child is killed. */
  cancel(requestId: string, agentId: string): { requestId: string; state: 'cancelled' | 'finished' } {
    const job = this.own(requestId, agentId);
    if (job.outcome !== null) return { requestId, state: 'finished' };
    job.abort.abort();
    return { requestId, state: 'cancelled' };
  }

  private own(requestId: string, agentId: string): UseJob {
    const job = this.jobs.get(requestId);
    if (!job || job.agentId !== agentId) throw new VaultError('NOT_FOUND', 'No such request.');
    return job;
  }

  private forgetLater(requestId: string): void {
    setTimeout(() => this.jobs.delete(requestId), UNCOLLECTED_TTL_MS).unref();
  }

  /** Shutdown: running children are killed, results forgotten. */
  dispose(): void {
    for (const j of this.jobs.values()) if (j.outcome === null) j.abort.abort();
    this.jobs.clear();
  }
}
