// What each agent method does, given an authenticated agent. Invariant: nothing reachable from
// here can approve or deny a request — the broker's `decide` is never called in this file;
// an agent may only read and cancel its own requests; `vault.health` shows it only its own
// counters and scope, never vault-wide figures.
import { isVaultError, VaultError } from '../../core/errors.js';
import type { ApprovalBroker } from '../../core/approvals/approval-broker.js';
import type { RecallResult } from '../../core/engine/recall-pipeline.js';
import type { VaultEngine } from '../../core/engine/vault-engine.js';
import type { Requester } from '../../core/model/requester.js';
import { AgentCounters } from './agent-counters.js';
import type { MethodName, MethodParams } from './agent-protocol.js';
import type { UseMethods } from './use-method.js';
import { settleWithin } from './settle-within.js';

type AgentRequester = Requester & { kind: 'agent' };

const UNCOLLECTED_TTL_MS = 10 * 60_000;

interface RecallJob {
  readonly agentId: string;
  readonly expiresAt: number;
  outcome: { ok: true; result: RecallResult } | { ok: false; error: unknown } | null;
  readonly done: Promise<void>;
}

export function contentPayload(content: Buffer): { content: string } | { contentBase64: string } {
  const text = content.toString('utf8');
  return Buffer.from(text, 'utf8').equals(content) ? { content: text } : { contentBase64: content.toString('base64') };
}

function delivered(r: RecallResult) {
  const payload = { status: 'ok' as const, memory: r.memory, ...contentPayload(r.content) };
  r.content.fill(0);
  return payload;
}

/** One method's handler, its params typed by the method's schema output. */
type MethodHandler<M extends MethodName> = (params: MethodParams<M>, agent: AgentRequester) => unknown;

export class AgentService {
  private readonly jobs = new Map<string, RecallJob>();
  private readonly counters = new AgentCounters();

  constructor(
    private readonly engine: VaultEngine,
    private readonly broker: ApprovalBroker,
    private readonly version: string,
    /** Issue 19: memory.handle / memory.use (use-method.ts); absent, both answer INVALID_INPUT. */
    private readonly uses?: UseMethods,
  ) {}

  async call<M extends MethodName>(method: M, params: MethodParams<M>, agent: AgentRequester): Promise<unknown> {
    try {
      const result = await this.dispatch(method, params, agent);
      this.counters.count(agent.agentId, method, 'ok');
      return result;
    } catch (e) {
      this.counters.count(agent.agentId, method, isVaultError(e) ? e.code : 'INTERNAL');
      throw e;
    }
  }

  private async dispatch<M extends MethodName>(method: M, params: MethodParams<M>, agent: AgentRequester): Promise<unknown> {
    // A mapped table indexed by the method keeps each handler's params typed by the schema that
    // parsed them: no cast per method, and a method without a handler is a compile error.
    const handler: MethodHandler<M> = this.handlers[method];
    return handler(params, agent);
  }

  private readonly handlers: { readonly [K in MethodName]: MethodHandler<K> } = {
    'auth.login': (_p, agent) => ({ agentId: agent.agentId, name: agent.name, maxLevel: agent.maxLevel, namespaces: agent.namespaces }),
    'memory.store': (p, agent) => {
      // The schema already decoded contentBase64 strictly; exactly one of the two is present.
      const content = p.content ?? p.contentBase64;
      if (content === undefined) throw new VaultError('INVALID_INPUT', 'Give exactly one of content or contentBase64.');
      const { content: _c, contentBase64: _b, ...rest } = p;
      return this.engine.store({ ...rest, content }, agent);
    },
    'memory.recall': (p, agent) => this.recall(p, agent),
    'memory.search': (p, agent) => this.engine.search(p, agent),
    'memory.list': (p, agent) => this.engine.list(p, agent),
    'request.status': (p, agent) => {
      const id = p.requestId;
      if (this.uses?.owns(id, agent.agentId)) return this.uses.status(id, agent.agentId);
      return this.status(id, agent);
    },
    'request.wait': (p, agent) => {
      if (this.uses?.owns(p.requestId, agent.agentId)) return this.uses.wait(p.requestId, agent.agentId, p.timeoutMs ?? 30_000);
      return this.wait(p.requestId, p.timeoutMs ?? 30_000, agent);
    },
    'request.cancel': (p, agent) => {
      const id = p.requestId;
      if (this.uses?.owns(id, agent.agentId)) return this.uses.cancel(id, agent.agentId);
      this.ownJob(id, agent);
      const view = this.broker.cancel(id, agent.agentId);
      return { requestId: id, state: view.state };
    },
    // Lockdown is vault-wide but no secret: every call of this agent would be refused with it.
    'vault.health': (_p, agent) => ({
      ok: true,
      version: this.version,
      lockdown: this.engine.lockdownStatus().on,
      agent: { agentId: agent.agentId, maxLevel: agent.maxLevel, namespaces: agent.namespaces },
      counters: { calls: this.counters.of(agent.agentId) },
    }),
    'memory.handle': (p, agent) => this.usesOrRefuse().handle(p, agent),
    'memory.use': (p, agent) => this.usesOrRefuse().use(p, agent),
  };

  /** Answers at once: the content, or `pending` with a request id the agent can wait on. */
  private recall(p: MethodParams<'memory.recall'>, agent: AgentRequester): Promise<unknown> {
    return new Promise((resolve, reject) => {
      let pendingId: string | null = null;
      let finish: () => void = () => undefined;
      const done = new Promise<void>((r) => (finish = r));
      const job = this.engine.recall({ memoryId: p.memoryId, justification: p.justification ?? '' }, agent, {
        onApprovalRequested: (requestId, expiresAt) => {
          pendingId = requestId;
          this.jobs.set(requestId, { agentId: agent.agentId, expiresAt, outcome: null, done });
          resolve({ status: 'pending', requestId, expiresAt: new Date(expiresAt).toISOString() });
        },
      });
      job.then(
        (result) => {
          if (pendingId === null) return resolve(delivered(result));
          const j = this.jobs.get(pendingId);
          if (j) {
            j.outcome = { ok: true, result };
            this.forgetLater(pendingId);
          } else result.content.fill(0);
          finish();
        },
        (error: unknown) => {
          if (pendingId === null) return reject(error);
          const j = this.jobs.get(pendingId);
          if (j) {
            j.outcome = { ok: false, error };
            this.forgetLater(pendingId);
          }
          finish();
        },
      );
    });
  }

  private ownJob(requestId: string, agent: AgentRequester): RecallJob {
    const job = this.jobs.get(requestId);
    // Another agent's request looks exactly like a missing one.
    if (!job || job.agentId !== agent.agentId) throw new VaultError('NOT_FOUND', 'No such request.');
    return job;
  }

  private status(requestId: string, agent: AgentRequester): unknown {
    const job = this.ownJob(requestId, agent);
    const view = this.broker.view(requestId);
    return { requestId, state: view.state, expiresAt: new Date(job.expiresAt).toISOString(), ready: job.outcome?.ok === true };
  }

  private async wait(requestId: string, timeoutMs: number, agent: AgentRequester): Promise<unknown> {
    const job = this.ownJob(requestId, agent);
    if (job.outcome === null && timeoutMs > 0) await settleWithin(job.done, timeoutMs);
    if (job.outcome === null) return { status: 'pending', requestId, expiresAt: new Date(job.expiresAt).toISOString() };
    // Deliver once: the content is zeroed and forgotten after this answer.
    this.jobs.delete(requestId);
    if (!job.outcome.ok) throw job.outcome.error;
    return delivered(job.outcome.result);
  }

  /** Approved content the agent never collects is zeroed and dropped after a while. */
  private forgetLater(requestId: string): void {
    setTimeout(() => {
      const j = this.jobs.get(requestId);
      if (j?.outcome?.ok) j.outcome.result.content.fill(0);
      this.jobs.delete(requestId);
    }, UNCOLLECTED_TTL_MS).unref();
  }

  private usesOrRefuse(): UseMethods {
    if (!this.uses) throw new VaultError('INVALID_INPUT', 'This server does not run commands with secrets.');
    return this.uses;
  }

  /** Forget undelivered results (shutdown). */
  dispose(): void {
    this.uses?.dispose();
    for (const j of this.jobs.values()) if (j.outcome?.ok) j.outcome.result.content.fill(0);
    this.jobs.clear();
  }
}
