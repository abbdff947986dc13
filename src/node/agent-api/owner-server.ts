// Serves the owner channel (see owner-protocol.ts): what each owner method does, as one method
// table. The transport (connection cap, OPAQUE login, sealed frames) is
// src/node/owner-channel/owner-transport.ts on the shared line transport (src/node/rpc).
// Invariant: the table only ever sees frames of a connection that completed the OPAQUE login and
// whose success was audited, with params its schema parsed; the table is the one place to add methods.
import { createBackupFor, exportAuditFor, verifyAuditFor } from './owner-vault-work.js';
import { VaultError } from '../../core/errors.js';
import type { ApprovalBroker } from '../../core/approvals/approval-broker.js';
import type { VaultSession } from '../vault/vault-session.js';
import type { AgentRegistry } from './agent-registry.js';
import { resumeAgent, suspendedAgents } from './registry-agent-suspender.js';
import { serverProcessStatus } from './server-process-status.js';
import { CommandAllowlist } from './command-allowlist.service.js';
import type { RpcResponse } from './agent-protocol.js';
import { ownerMethodSchemas, type OwnerParams } from './owner-protocol.js';
import { LoginBackoff } from '../owner-channel/login-backoff.js';
import type { OwnerRegistration } from '../owner-channel/opaque-pake.js';
import { OwnerTransport, type OwnerTransportLimits } from '../owner-channel/owner-transport.js';
import { methodTable, serveFrame, type CallPolicy } from '../rpc/method-table.js';

const TERMINAL = { type: 'owner', id: 'terminal' } as const;

export interface OwnerServerOptions {
  /** The OPAQUE registration made at unlock; null: no owner logins (TPM-only vault). */
  readonly registration: OwnerRegistration | null;
  readonly limits?: Partial<OwnerTransportLimits>;
  /** Server-wide login backoff (tests inject one with a fake clock). */
  readonly backoff?: LoginBackoff;
  /** Connections the agent socket holds now, for `vault.status` (0 when not given). */
  readonly agentConnections?: () => number;
}

export class OwnerServer {
  private readonly transport: OwnerTransport;
  private commands: CommandAllowlist | undefined;
  private readonly agentConnections: () => number;

  constructor(
    socketPath: string,
    private readonly session: VaultSession,
    private readonly broker: ApprovalBroker,
    private readonly registry: AgentRegistry,
    opts: OwnerServerOptions,
  ) {
    this.agentConnections = opts.agentConnections ?? (() => 0);
    this.transport = new OwnerTransport({
      socketPath,
      registration: opts.registration,
      backoff: opts.backoff ?? new LoginBackoff(() => Date.now()),
      ...(opts.limits ? { limits: opts.limits } : {}),
      onLoginOk: async () => {
        await this.session.engine.recordEvent({ kind: 'owner.auth', actor: TERMINAL, outcome: 'ok' });
      },
      onLoginFailed: async () => {
        await this.session.engine.recordEvent({ kind: 'owner.auth', actor: TERMINAL, outcome: 'refused', code: 'BAD_CREDENTIALS' });
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

  /** The owner socket's methods, one line each (or a small method below). */
  private readonly methods = methodTable(ownerMethodSchemas, {
    'approvals.list': () => this.broker.pending(),
    'approvals.decide': (p) =>
      this.broker.decide(
        p.requestId,
        p.approve ? { approve: true, ...(p.grantMinutes !== undefined ? { grantMinutes: p.grantMinutes } : {}) } : { approve: false },
        'terminal',
        p.digest,
      ),
    'agents.create': (p) => this.createAgent(p),
    'agents.list': () => this.registry.list(),
    'agents.revoke': (p) => this.revokeAgent(p.agent),
    'agents.resume': (p) => resumeAgent(this.session.engine, this.registry, p.agent, 'terminal'),
    'vault.status': () => this.status(),
    'lockdown.set': (p) => this.setLockdown(p),
    'grants.list': () => this.session.engine.listGrants(),
    'grants.revoke': (p) => this.session.engine.revokeGrant(p.grantId, { kind: 'owner', channel: 'terminal' }),
    'agentCommands.allow': (p) => this.allowlist().allow(p.agent, p.entry, 'terminal'),
    'agentCommands.list': (p) => this.allowlist().list(p.agent),
    'agentCommands.disallow': (p) => this.allowlist().disallow(p.agent, p.commandId, 'terminal'),
    'audit.verify': () => verifyAuditFor(this.session),
    'audit.export': (p) => exportAuditFor(this.session, p, TERMINAL),
    'backup.create': (p) => createBackupFor(this.session, p),
  });

  private readonly policy: CallPolicy<keyof typeof ownerMethodSchemas> = {
    admit: () => (this.transport.closing ? new VaultError('VAULT_LOCKED', 'The server is shutting down.') : null),
  };

  private handle(frame: string): Promise<RpcResponse | null> {
    return serveFrame(frame, this.methods, undefined, this.policy);
  }

  private createAgent(p: OwnerParams<'agents.create'>) {
    return this.session.engine.runAudited(
      () => this.registry.create(p),
      (created) => ({
        kind: 'agent.create',
        actor: TERMINAL,
        outcome: 'ok',
        details: { agentId: created.agent.id, name: p.name, maxLevel: p.maxLevel },
      }),
    );
  }

  private async revokeAgent(agent: string) {
    const id = this.registry.find(agent).id;
    const revoked = await this.session.engine.runAudited(
      () => this.registry.revoke(id),
      (a) => ({ kind: 'agent.revoke', actor: TERMINAL, outcome: 'ok', details: { agentId: a.id } }),
    );
    // Its pending requests end now (the waiting recalls refuse with UNAUTHORIZED); its grants go.
    await this.session.engine.onRequesterRevoked(revoked.id);
    return revoked;
  }

  private status() {
    return {
      dir: this.session.paths.dir,
      vaultId: this.session.header.vaultId,
      ...this.session.engine.status(),
      pendingApprovals: this.broker.pending().length,
      suspendedAgents: suspendedAgents(this.registry),
      server: serverProcessStatus({ agent: this.agentConnections(), owner: this.connectionCount }),
    };
  }

  private setLockdown(p: OwnerParams<'lockdown.set'>) {
    // This connection proved the owner's credential in its OPAQUE login: that is the full unlock lifting needs.
    if (p.on) return this.session.engine.lockdownOn({ kind: 'owner', channel: 'terminal' }, p.reason ?? 'Owner request');
    return this.session.engine.lockdownOff(this.session.owner.loginProof('terminal'));
  }

  /** Issue 19: the per-agent command allowlist, on this vault's database (changes through runAudited). */
  private allowlist(): CommandAllowlist {
    this.commands ??= new CommandAllowlist(this.session.tables.agentCommands, this.session.engine, this.registry);
    return this.commands;
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}
