// Everything the engine's operations share. Built once per unlocked session.
import { VaultError } from '../errors.js';
import type { AuditEventInput } from '../events/audit-event.js';
import type { ApprovalGate } from '../ports/approval-gate.port.js';
import type { Clock } from '../ports/clock.port.js';
import type { EnvironmentGate } from '../ports/environment-gate.port.js';
import type { HardwareKeyPort } from '../ports/hardware-key.port.js';
import type { Durability, VaultRepository } from '../ports/vault-repository.port.js';
import { actorOf, type Requester } from '../model/requester.js';
import { AuditLogService } from '../transparency/audit-log.service.js';
import type { CheckpointPolicy } from '../transparency/checkpointer.js';
import { AuditWriter } from './audit-writer.js';
import { VaultMetrics } from '../metrics/vault-metrics.js';
import { CommitQueue } from './commit-queue.js';
import { AnomalyDetector, readLockdown, readLockdownRules, writeLockdown, type AnomalyRule, type LockdownState } from './lockdown.js';

export interface EngineGates {
  approvals: ApprovalGate;
  environment: EnvironmentGate;
  hardwareKey: HardwareKeyPort | null;
}

export interface EngineConfig {
  readonly approvalTimeoutMs: number;
  readonly anomaly: AnomalyRule;
  readonly checkpoints: CheckpointPolicy;
}

export class EngineContext {
  readonly queue: CommitQueue;
  readonly audit: AuditWriter;
  readonly auditLog: AuditLogService;
  readonly anomaly: AnomalyDetector;
  readonly metrics = new VaultMetrics();
  /** memoryId → time of a recall in progress or just delivered, for cooldowns (see recall-pipeline). */
  readonly cooldownHolds = new Map<string, number>();
  /** Recalls between their first step and their answer (drain waits for them). */
  activeRecalls = 0;
  /** Level-3 grants: `${actor.type}:${actor.id}\n${memoryId}` → expiry (ms). In memory only: a restart revokes them. */
  readonly grants = new Map<string, number>();
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
    this.auditLog = new AuditLogService(repo, vaultId, this.profileKey(), clock, (job) => this.queue.submit(job, 'full'), config.checkpoints);
    this.audit = new AuditWriter(repo, clock, () => this.auditLog.checkpointer.noteAppend());
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
  }

  /** Append one audit event in its own (group-committed) transaction. */
  async record(event: AuditEventInput, durability: Durability): Promise<number> {
    const seq = await this.queue.submit(() => this.audit.append(event), durability);
    // Rule "lockdown on integrity failure": every integrity failure is audited through here.
    if (event.kind === 'integrity.failure' && !this.lockdownState.on && readLockdownRules(this.repo, this.config.anomaly).onIntegrityFailure) {
      await this.setLockdown({ on: true, since: this.clock.now(), by: 'integrity-rule', reason: 'Integrity failure (lockdown rule)' }, { type: 'system', id: 'integrity-rule' });
    }
    return seq;
  }
}
