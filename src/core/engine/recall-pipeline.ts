// The recall pipeline of DESIGN §3, in order:
//   lockdown → exists/tombstoned → agent scope → environment → cooldown → approval →
//   hardware → decrypt (AEAD + content hash) → audit append → deliver.
// Invariants: every refusal appends an audit event with its code before the caller hears of
// it; plaintext is returned only after the recall's audit leaf has committed (fsynced for
// level ≥ 3); agents cannot approve — approval comes only from the registered owner gate.
import { randomUUID } from 'node:crypto';
import { VaultError, isVaultError, type ErrorCode, type ErrorDetails } from '../errors.js';
import { grantAllowed, MAX_GRANT_MINUTES, needsApproval, recallIsDurable } from '../levels.js';
import { summarize, type MemoryId, type MemoryRow, type MemorySummary } from '../model/memory.js';
import { actorOf, mayReachLevel, mayUseNamespace, type Requester } from '../model/requester.js';
import { recallInputSchema, type RecallInput } from '../model/store-input.js';
import { zeroize } from '../crypto/keys.js';
import type { EngineContext } from './engine-context.js';
import { openMemory, type HardwareBinding } from './memory-sealer.js';

export interface RecallOptions {
  readonly signal?: AbortSignal;
  /** Called once the request is waiting for the owner (agent API: answer "pending" at once). */
  readonly onApprovalRequested?: (requestId: string, expiresAt: number) => void;
}

export interface RecallResult {
  readonly memory: MemorySummary;
  readonly content: Buffer;
  readonly auditSeq: number;
}

const ANOMALY_CODES: ReadonlySet<ErrorCode> = new Set(['FORBIDDEN', 'APPROVAL_DENIED', 'BOUNDARY_DENIED', 'TOKEN_MISMATCH', 'INTEGRITY_FAILURE']);

export class RecallPipeline {
  constructor(private readonly ctx: EngineContext) {}

  async recall(input: RecallInput, requester: Requester, options: RecallOptions = {}): Promise<RecallResult> {
    this.ctx.activeRecalls++;
    try {
      return await this.recallSteps(input, requester, options);
    } finally {
      this.ctx.activeRecalls--;
    }
  }

  private async recallSteps(input: RecallInput, requester: Requester, options: RecallOptions): Promise<RecallResult> {
    const started = performance.now();
    const parsed = recallInputSchema.safeParse(input);
    if (!parsed.success) throw new VaultError('INVALID_INPUT', 'A recall needs a memory id and an optional justification.');
    const { memoryId, justification } = parsed.data;
    const ctx = this.ctx;

    if (ctx.lockdown.on) await this.refuse(requester, null, 'LOCKDOWN', 'The vault is in lockdown: no memory can be recalled.');
    const row = ctx.repo.getMemory(memoryId as MemoryId);
    // An agent outside a memory's namespace learns nothing about whether it exists.
    if (!row || !mayUseNamespace(requester, row.namespace)) {
      await this.refuse(requester, null, 'NOT_FOUND', 'No such memory.', { memoryId });
    }
    const memory = row as MemoryRow;
    if (memory.tombstonedAt !== null) await this.refuse(requester, memory, 'TOMBSTONED', 'This memory was tombstoned and can no longer be recalled.');
    if (!mayReachLevel(requester, memory.level)) {
      await this.refuse(requester, memory, 'FORBIDDEN', `This agent's token does not reach level ${memory.level}.`);
    }

    let environment = 'not checked (level < 3)';
    if (memory.level >= 3) {
      const verdict = await ctx.gates.environment.check({ level: memory.level, memoryId });
      environment = verdict.mode ? `${verdict.mode}: ${verdict.reason}` : verdict.reason;
      if (!verdict.permitted) await this.refuse(requester, memory, 'BOUNDARY_DENIED', `Environment check refused: ${verdict.reason}`);
    }

    const now = ctx.clock.now();
    // Cooldown holds are taken synchronously, before any await: concurrent recalls of one memory
    // cannot all pass the check before the first one's timestamp is committed.
    const last = Math.max(memory.lastRecalledAt ?? Number.NEGATIVE_INFINITY, ctx.cooldownHolds.get(memory.id) ?? Number.NEGATIVE_INFINITY);
    if (memory.cooldownMs > 0 && now - last < memory.cooldownMs) {
      const retryAfterMs = memory.cooldownMs - (now - last);
      await this.refuse(requester, memory, 'COOLDOWN', `This memory is cooling down; retry in ${Math.ceil(retryAfterMs / 1000)} s.`, { retryAfterMs });
    }
    if (memory.cooldownMs > 0) ctx.cooldownHolds.set(memory.id, now);
    let delivered = false;
    try {
      const result = await this.approveDecryptAndAudit(memory, requester, justification, environment, options, now, started);
      delivered = true;
      return result;
    } finally {
      // A recall that did not deliver does not start the cooldown.
      if (!delivered && ctx.cooldownHolds.get(memory.id) === now) ctx.cooldownHolds.delete(memory.id);
    }
  }

  private async approveDecryptAndAudit(
    memory: MemoryRow,
    requester: Requester,
    justification: string,
    environment: string,
    options: RecallOptions,
    now: number,
    started: number,
  ): Promise<RecallResult> {
    const ctx = this.ctx;
    const actor = actorOf(requester);
    const { signal } = options;
    let approvalChannel: string | null = null;
    if (needsApproval(memory.level)) approvalChannel = await this.approve(memory, requester, justification, environment, options);

    let hardware: HardwareBinding | undefined;
    if (memory.level === 5) hardware = await this.hardwareSecret(memory, requester, signal);

    // Lockdown may have been switched on while this recall waited for the owner or the token.
    if (ctx.lockdown.on) {
      if (hardware) zeroize(hardware.secret);
      await this.refuse(requester, memory, 'LOCKDOWN', 'The vault went into lockdown while this recall was waiting.');
    }

    let content: Buffer;
    try {
      if (!memory.wrappedDek || !memory.ciphertext) throw new VaultError('INTEGRITY_FAILURE', 'The sealed content is missing.');
      content = openMemory({
        memoryId: memory.id,
        level: memory.level,
        profileId: memory.profileId,
        formatVersion: memory.formatVersion,
        profileKey: ctx.profileKey(),
        contentHash: memory.contentHash,
        wrappedDek: memory.wrappedDek,
        ciphertext: memory.ciphertext,
        ...(hardware ? { hardware } : {}),
      });
    } catch (e) {
      const message = isVaultError(e) && e.code === 'INTEGRITY_FAILURE' ? e.message : 'The memory could not be decrypted.';
      return this.refuse(requester, memory, 'INTEGRITY_FAILURE', message);
    } finally {
      if (hardware) zeroize(hardware.secret);
    }

    try {
      const auditSeq = await ctx.queue.submit(() => {
        if (memory.cooldownMs > 0) ctx.repo.markRecalled(memory.id, now);
        return ctx.audit.append({
          kind: 'memory.recall',
          actor,
          outcome: 'ok',
          memory: { id: memory.id, level: memory.level },
          details: { justificationChars: justification.length, ...(approvalChannel ? { approvedVia: approvalChannel } : {}) },
        });
      }, recallIsDurable(memory.level) ? 'full' : 'normal');
      ctx.metrics.recall(memory.level, 'ok', performance.now() - started);
      return { memory: summarize(memory), content, auditSeq };
    } catch (e) {
      // Fail closed: no audit leaf, no plaintext.
      zeroize(content);
      throw isVaultError(e) ? e : new VaultError('AUDIT_FAILURE', 'The recall could not be audited; nothing was released.');
    }
  }

  private async approve(memory: MemoryRow, requester: Requester, justification: string, environment: string, options: RecallOptions): Promise<string> {
    const { signal } = options;
    const ctx = this.ctx;
    const actor = actorOf(requester);
    const grantKey = `${actor.type}:${actor.id}\n${memory.id}`;
    const now = ctx.clock.now();
    if (grantAllowed(memory.level)) {
      const until = ctx.grants.get(grantKey);
      if (until !== undefined && until > now) return 'grant';
      if (until !== undefined) ctx.grants.delete(grantKey);
    }
    const requestId = randomUUID();
    const expiresAt = now + ctx.config.approvalTimeoutMs;
    const ref = { id: memory.id, level: memory.level };
    await ctx.record({ kind: 'approval.requested', actor, outcome: 'ok', memory: ref, details: { requestId, expiresAt: new Date(expiresAt).toISOString() } }, 'full');
    ctx.metrics.approval('requested');
    options.onApprovalRequested?.(requestId, expiresAt);
    const decision = await ctx.gates.approvals.requestApproval({
      requestId,
      memory: summarize(memory),
      level: memory.level,
      requester,
      justification,
      createdAt: now,
      expiresAt,
      grantAllowed: grantAllowed(memory.level),
      environment,
      ...(signal ? { signal } : {}),
    });
    ctx.metrics.approval(decision.outcome === 'approved' ? 'approved' : decision.outcome);
    switch (decision.outcome) {
      case 'approved': {
        const grantMinutes = grantAllowed(memory.level) ? Math.min(decision.grantMinutes ?? 0, MAX_GRANT_MINUTES) : 0;
        if (grantMinutes > 0) ctx.grants.set(grantKey, ctx.clock.now() + grantMinutes * 60_000);
        await ctx.record({ kind: 'approval.granted', actor: { type: 'owner', id: decision.channel }, outcome: 'ok', memory: ref, details: { requestId, requester: actor.id, grantMinutes } }, 'full');
        return decision.channel;
      }
      case 'denied':
        await ctx.record({ kind: 'approval.denied', actor: { type: 'owner', id: decision.channel }, outcome: 'ok', memory: ref, details: { requestId, requester: actor.id } }, 'full');
        return this.refuse(requester, memory, 'APPROVAL_DENIED', 'The owner denied this recall.', { requestId });
      case 'expired':
        await ctx.record({ kind: 'approval.expired', actor: { type: 'system', id: 'approvals' }, outcome: 'ok', memory: ref, details: { requestId } }, 'full');
        return this.refuse(requester, memory, 'APPROVAL_EXPIRED', 'The approval request expired before the owner answered.', { requestId });
      case 'cancelled':
        await ctx.record({ kind: 'approval.cancelled', actor, outcome: 'ok', memory: ref, details: { requestId } }, 'full');
        return this.refuse(requester, memory, 'APPROVAL_CANCELLED', 'The approval request was cancelled.', { requestId });
      case 'unavailable':
        return this.refuse(requester, memory, 'APPROVAL_REQUIRED', `Level ${memory.level} recalls need the owner's approval and no approval channel is available.`, { requestId });
      default: {
        const never: never = decision;
        throw new Error(`unknown approval outcome ${JSON.stringify(never)}`);
      }
    }
  }

  private async hardwareSecret(memory: MemoryRow, requester: Requester, signal?: AbortSignal): Promise<HardwareBinding> {
    const port = this.ctx.gates.hardwareKey;
    if (!port || !memory.hwSalt || !memory.hwCredential) {
      return this.refuse(requester, memory, 'TOKEN_REQUIRED', 'This level-5 memory needs its security key, and none is available.');
    }
    try {
      const result = await port.deriveSecret({
        salt: memory.hwSalt,
        allowCredentials: [{ credentialId: memory.hwCredential }],
        reason: `Recall of "${memory.title}"`,
        ...(signal ? { signal } : {}),
      });
      return { secret: result.secret, salt: memory.hwSalt };
    } catch (e) {
      const code: ErrorCode = isVaultError(e) && (e.code === 'TOKEN_MISMATCH' || e.code === 'TOKEN_REQUIRED') ? e.code : 'TOKEN_REQUIRED';
      return this.refuse(requester, memory, code, isVaultError(e) ? e.message : 'The security key did not answer.');
    }
  }

  /** Audit the refusal (committed before the caller learns of it), feed the anomaly detector, throw. */
  private async refuse(requester: Requester, memory: MemoryRow | null, code: ErrorCode, message: string, details: ErrorDetails = {}): Promise<never> {
    const ctx = this.ctx;
    ctx.metrics.recall(memory?.level ?? null, code);
    const actor = actorOf(requester);
    await ctx.record(
      {
        kind: code === 'INTEGRITY_FAILURE' ? 'integrity.failure' : code === 'BOUNDARY_DENIED' ? 'boundary.denied' : 'memory.recall',
        actor,
        outcome: 'refused',
        code,
        reason: message,
        ...(memory ? { memory: { id: memory.id, level: memory.level } } : {}),
      },
      code === 'INTEGRITY_FAILURE' || (memory !== null && memory.level >= 3) ? 'full' : 'normal',
    );
    if (ANOMALY_CODES.has(code) && !ctx.lockdown.on && ctx.anomaly.record(`${actor.type}:${actor.id}`, ctx.clock.now())) {
      await ctx.setLockdown({ on: true, since: ctx.clock.now(), by: 'anomaly', reason: `Burst of refused recalls from ${actor.type} ${actor.id}` }, { type: 'system', id: 'anomaly-detector' });
    }
    throw new VaultError(code, message, details);
  }
}
