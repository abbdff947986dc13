// Everything the engine's operations share. Built once per unlocked session.
// Invariant (access withdrawal): revoking an agent, tombstoning a memory and lockdown each end
// the affected pending approval requests (through the approval gate, audited by the recall
// pipeline with the reason) and delete the affected level-3 grants (each audited as
// grant.revoke); the in-memory lockdown flag is what GrantStore reads, so no grant is minted
// while it is on.
import type { GovernanceGate } from '../ports/governance.port.js';
import { VaultError } from '../errors.js';
import type { AuditEventInput } from '../events/audit-event.js';
import type { ApprovalCancelReason, ApprovalGate } from '../ports/approval-gate.port.js';
import type { Clock } from '../ports/clock.port.js';
import type { EnvironmentGate } from '../ports/environment-gate.port.js';
import type { HardwareKeyPort } from '../ports/hardware-key.port.js';
import type { AgentSuspender } from '../ports/agent-suspender.port.js';
import type { RequesterStatusPort } from '../ports/requester-status.port.js';
import type { Durability, VaultRepository } from '../ports/vault-repository.port.js';
import { actorOf, type Requester } from '../model/requester.js';
import { AuditLogService } from '../transparency/audit-log.service.js';
import type { CheckpointPolicy } from '../transparency/checkpointer.js';
import { AuditAppendFeed } from './audit-append-feed.js';
import { AuditWriter } from './audit-writer.js';
import { VaultMetrics } from '../metrics/vault-metrics.js';
import { CommitQueue } from './commit-queue.js';
import { PendingApprovals } from './pending-approvals.js';
import { GrantStore, type Grant } from './grant-store.js';
import { AnomalyDetector, readLockdown, readLockdownRules, writeLockdown, type AnomalyRule, type LockdownState } from './lockdown.js';

export interface EngineGates {
  approvals: ApprovalGate;
  environment: EnvironmentGate;
  hardwareKey: HardwareKeyPort | null;
  /** Contains an agent whose refusals burst (anomaly-response.ts); null = no registry: lockdown instead. */
  agentSuspender: AgentSuspender | null;
  /** Asked at delivery whether the requester (agent token) is still valid. */
  requesterStatus: RequesterStatusPort;
  /** Agent-OS governance: asked before an agent's recall, use or store when the owner enforces it. */
  governance: GovernanceGate;
}

/** Whose access is withdrawn: one agent's, one memory's, or everyone's (lockdown). */
export type AccessTarget = { readonly agentId: string } | { readonly memoryId: string } | 'all';

/** Why a grant was deleted, as the grant.revoke event records it. */
export type GrantRevokeReason = ApprovalCancelReason | 'owner';

export interface EngineConfig {
  readonly approvalTimeoutMs: number;
  readonly anomaly: AnomalyRule;
  /** Pending approval requests one agent may hold at once; the next is refused with RATE_LIMITED. */
  readonly maxPendingApprovalsPerAgent: number;
  readonly checkpoints: CheckpointPolicy;
}

export class EngineContext {
  readonly queue: CommitQueue;
  readonly audit: AuditWriter;
  readonly auditLog: AuditLogService;
  /** Which kinds of leaf were just appended, for views that refresh on change (the desktop). */
  readonly appended = new AuditAppendFeed();
  readonly anomaly: AnomalyDetector;
  readonly metrics = new VaultMetrics();
  /** memoryId → time of a recall in progress or just delivered, for cooldowns (see recall-pipeline). */
  readonly cooldownHolds = new Map<string, number>();
  /** Recalls between their first step and their answer (drain waits for them). */
  activeRecalls = 0;
  /** Pending approval requests per agent, capped at config.maxPendingApprovalsPerAgent. */
  readonly pendingApprovals = new PendingApprovals();
  /** Level-3 grants, in memory only (a restart revokes them); none is minted during lockdown. */
  readonly grants = new GrantStore(() => this.lockdownState.on);
  private lockdownState: LockdownState;

  constructor(
    readonly repo: VaultRepository,
    readonly vaultId: string,
    readonly clock: Clock,
    readonly profileId: string,
    private profileKeyBytes: Buffer | null,
    readonly gates: EngineGates,
    readonly config: EngineConfig,
  ) {
    this.queue = new CommitQueue(repo);
    this.auditLog = new AuditLogService(
      repo,
      vaultId,
      this.profileKey(),
      clock,
      (job) => this.queue.submit(job, 'full'),
      config.checkpoints,
    );
    this.audit = new AuditWriter(repo, clock, (event) => {
      this.auditLog.checkpointer.noteAppend();
      this.appended.note(event.kind);
    });
    this.queue.afterDurableCommit = () => this.auditLog.afterDurableCommit();
    // The owner's stored rules (if any) override the configured default, and are read per refusal.
    this.anomaly = new AnomalyDetector(() => readLockdownRules(repo, config.anomaly));
    this.lockdownState = readLockdown(repo);
  }

  profileKey(): Buffer {
    if (!this.profileKeyBytes) throw new VaultError('VAULT_LOCKED', 'The vault is locked.');
    return this.profileKeyBytes;
  }

  wipeKeys(): void {
    this.profileKeyBytes?.fill(0);
    this.profileKeyBytes = null;
  }

  get lockdown(): LockdownState {
    return this.lockdownState;
  }

  /** Write the lockdown state with its audit event, durably. */
  async setLockdown(state: LockdownState, actor: Requester | { type: 'system'; id: string }): Promise<void> {
    const a = 'kind' in actor ? actorOf(actor) : actor;
    await this.queue.submit(() => {
      writeLockdown(this.repo, state);
      this.audit.append({
        kind: state.on ? 'lockdown.on' : 'lockdown.off',
        actor: a,
        outcome: 'ok',
        ...(state.reason ? { reason: state.reason } : {}),
      });
    }, 'full');
    this.lockdownState = state;
    if (!state.on) this.anomaly.reset();
    else await this.withdrawAccess('all', 'lockdown');
  }

  /**
   * End the pending requests and delete the grants of `target`. The cancelled recalls audit
   * their own approval.cancelled (recall-pipeline); each deleted grant is audited here.
   */
  async withdrawAccess(target: AccessTarget, reason: ApprovalCancelReason): Promise<{ cancelled: number; grants: Grant[] }> {
    const matches = (holder: { type: string; id: string }, memoryId: string) =>
      target === 'all' || ('agentId' in target ? holder.type === 'agent' && holder.id === target.agentId : memoryId === target.memoryId);
    const cancelled = this.gates.approvals.cancelPending?.((r) => matches(r.requester, r.memoryId), reason) ?? 0;
    const grants = await this.revokeGrants((g) => matches(g.holder, g.memoryId), reason, { type: 'system', id: 'grants' });
    return { cancelled, grants };
  }

  /** Delete the grants `match` selects, one grant.revoke event each (one transaction). */
  async revokeGrants(
    match: (g: Grant) => boolean,
    reason: GrantRevokeReason,
    actor: { type: 'owner' | 'system'; id: string },
  ): Promise<Grant[]> {
    const removed = this.grants.removeWhere(match);
    if (removed.length === 0) return removed;
    await this.queue.submit(() => {
      for (const g of removed) {
        this.audit.append({
          kind: 'grant.revoke',
          actor,
          outcome: 'ok',
          memory: { id: g.memoryId, level: g.level },
          reason,
          details: { grantId: g.grantId, holder: `${g.holder.type}:${g.holder.id}`, expiresAt: new Date(g.expiresAt).toISOString() },
        });
      }
    }, 'full');
    return removed;
  }

  /** Append one audit event in its own (group-committed) transaction. */
  async record(event: AuditEventInput, durability: Durability): Promise<number> {
    const seq = await this.queue.submit(() => this.audit.append(event), durability);
    // Rule "lockdown on integrity failure": every integrity failure is audited through here.
    if (
      event.kind === 'integrity.failure' &&
      !this.lockdownState.on &&
      readLockdownRules(this.repo, this.config.anomaly).onIntegrityFailure
    ) {
      await this.setLockdown(
        { on: true, since: this.clock.now(), by: 'integrity-rule', reason: 'Integrity failure (lockdown rule)' },
        { type: 'system', id: 'integrity-rule' },
      );
    }
    return seq;
  }
}
