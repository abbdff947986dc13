// Serves the owner channel (see owner-protocol.ts): what each owner method does. The transport
// (connection cap, OPAQUE login, sealed frames) is src/node/owner-channel/owner-transport.ts.
// Invariant: `handle` only ever sees frames of a connection that completed the OPAQUE login and
// whose success was audited; the method table and this dispatch are the one place to add methods.
import { VaultError } from '../../core/errors.js';
import type { ApprovalBroker } from '../../core/approvals/approval-broker.js';
import type { VaultSession } from '../vault/vault-session.js';
import type { AgentRegistry } from './agent-registry.js';
import { resumeAgent, suspendedAgents } from './registry-agent-suspender.js';
import { CommandAllowlist } from './command-allowlist.service.js';
import { envelopeSchema, type RpcResponse } from './agent-protocol.js';
import { isOwnerMethod, ownerMethodSchemas, type OwnerMethod, type OwnerParams } from './owner-protocol.js';
import { LoginBackoff } from '../owner-channel/login-backoff.js';
import type { OwnerRegistration } from '../owner-channel/opaque-pake.js';
import { OwnerTransport, type OwnerTransportLimits } from '../owner-channel/owner-transport.js';
import { failResponse as fail, invalidResponse, JSONRPC } from '../owner-channel/rpc-reply.js';

export interface OwnerServerOptions {
  /** The OPAQUE registration made at unlock; null: no owner logins (TPM-only vault). */
  readonly registration: OwnerRegistration | null;
  readonly limits?: Partial<OwnerTransportLimits>;
  /** Server-wide login backoff (tests inject one with a fake clock). */
  readonly backoff?: LoginBackoff;
}

export class OwnerServer {
  private readonly transport: OwnerTransport;
  private commands: CommandAllowlist | undefined;

  constructor(
    socketPath: string,
    private readonly session: VaultSession,
    private readonly broker: ApprovalBroker,
    private readonly registry: AgentRegistry,
    opts: OwnerServerOptions,
  ) {
    const actor = { type: 'owner', id: 'terminal' } as const;
    this.transport = new OwnerTransport({
      socketPath,
      registration: opts.registration,
      backoff: opts.backoff ?? new LoginBackoff(() => Date.now()),
      ...(opts.limits ? { limits: opts.limits } : {}),
      onLoginOk: async () => {
        await this.session.engine.recordEvent({ kind: 'owner.auth', actor, outcome: 'ok' });
      },
      onLoginFailed: async () => {
        await this.session.engine.recordEvent({ kind: 'owner.auth', actor, outcome: 'refused', code: 'BAD_CREDENTIALS' });
        // Counts towards the "repeated bad credentials" lockdown rule, as a failed unlock does.
        await this.session.recordFailedOwnerLogin();
      },
      serve: (frame) => this.handle(frame),
    });
  }

  get connectionCount(): number {
    return this.transport.connectionCount;
  }

  listen(): Promise<void> {
    return this.transport.listen();
  }

  private async handle(frame: string): Promise<RpcResponse> {
    let raw: unknown;
    try {
      raw = JSON.parse(frame);
    } catch {
      return invalidResponse(null, JSONRPC.PARSE_ERROR, 'Parse error.');
    }
    const env = envelopeSchema.safeParse(raw);
    if (!env.success || !isOwnerMethod(env.data.method)) return invalidResponse(null, JSONRPC.INVALID_REQUEST, 'Invalid request.');
    const id = env.data.id ?? null;
    const method: OwnerMethod = env.data.method;
    const parsed = ownerMethodSchemas[method].safeParse(env.data.params ?? {});
    if (!parsed.success) return invalidResponse(id, JSONRPC.INVALID_PARAMS, `Invalid params for ${method}.`);
    try {
      return { jsonrpc: '2.0', id, result: await this.dispatch(method, parsed.data) };
    } catch (e) {
      return fail(id, e);
    }
  }

  private async dispatch(method: OwnerMethod, params: unknown): Promise<unknown> {
    switch (method) {
      case 'approvals.list':
        return this.broker.pending();
      case 'approvals.decide': {
        const p = params as OwnerParams<'approvals.decide'>;
        return this.broker.decide(p.requestId, p.approve ? { approve: true, ...(p.grantMinutes !== undefined ? { grantMinutes: p.grantMinutes } : {}) } : { approve: false }, 'terminal', p.digest);
      }
      case 'agents.create': {
        const p = params as OwnerParams<'agents.create'>;
        return this.session.engine.runAudited(
          () => this.registry.create(p),
          (created) => ({ kind: 'agent.create', actor: { type: 'owner', id: 'terminal' }, outcome: 'ok', details: { agentId: created.agent.id, name: p.name, maxLevel: p.maxLevel } }),
        );
      }
      case 'agents.list':
        return this.registry.list();
      case 'agents.revoke': {
        const id = this.registry.find((params as OwnerParams<'agents.revoke'>).agent).id;
        const revoked = await this.session.engine.runAudited(
          () => this.registry.revoke(id),
          (a) => ({ kind: 'agent.revoke', actor: { type: 'owner', id: 'terminal' }, outcome: 'ok', details: { agentId: a.id } }),
        );
        // Its pending requests end now (the waiting recalls refuse with UNAUTHORIZED); its grants go.
        await this.session.engine.onRequesterRevoked(revoked.id);
        return revoked;
      }
      case 'agents.resume':
        return resumeAgent(this.session.engine, this.registry, (params as OwnerParams<'agents.resume'>).agent, 'terminal');
      case 'vault.status':
        return {
          dir: this.session.paths.dir,
          vaultId: this.session.header.vaultId,
          ...this.session.engine.status(),
          pendingApprovals: this.broker.pending().length,
          suspendedAgents: suspendedAgents(this.registry),
        };
      case 'lockdown.set': {
        const p = params as OwnerParams<'lockdown.set'>;
        // This connection proved the owner's credential in its OPAQUE login: that is the full unlock lifting needs.
        if (p.on) return this.session.engine.lockdownOn({ kind: 'owner', channel: 'terminal' }, p.reason ?? 'Owner request');
        return this.session.engine.lockdownOff({ __ownerProof: true, channel: 'terminal' });
      }
      case 'grants.list':
        return this.session.engine.listGrants();
      case 'grants.revoke':
        return this.session.engine.revokeGrant((params as OwnerParams<'grants.revoke'>).grantId, { kind: 'owner', channel: 'terminal' });
      case 'agentCommands.allow': {
        const p = params as OwnerParams<'agentCommands.allow'>;
        return this.allowlist().allow(p.agent, p.entry, 'terminal');
      }
      case 'agentCommands.list':
        return this.allowlist().list((params as OwnerParams<'agentCommands.list'>).agent);
      case 'agentCommands.disallow': {
        const p = params as OwnerParams<'agentCommands.disallow'>;
        return this.allowlist().disallow(p.agent, p.commandId, 'terminal');
      }
      default: {
        const never: never = method;
        throw new VaultError('INVALID_INPUT', `Unknown method ${String(never)}`);
      }
    }
  }

  /** Issue 19: the per-agent command allowlist, on this vault's database (changes through runAudited). */
  private allowlist(): CommandAllowlist {
    this.commands ??= new CommandAllowlist(this.session.database, this.session.engine, this.registry);
    return this.commands;
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}
