// The recall pipeline of DESIGN §3, in order:
//   lockdown → exists/tombstoned → agent scope → environment → cooldown → approval (or a
//   level-3 grant) → hardware → delivery, one commit-queue transaction: every gate again
//   against current state (lockdown, memory re-read: exists/not tombstoned, requester still
//   valid, scope, cooldown) → decrypt (AEAD + content hash) → audit append → commit → deliver.
// Invariants: every refusal appends an audit event with its code before the caller hears of
// it; nothing is decrypted until the delivery re-check has passed in the transaction that
// appends the recall's audit leaf, so a revoke, tombstone or lockdown that lands while the
// recall waited for the owner is refused there (the job rolls back, no plaintext exists);
// plaintext is returned only after that leaf has committed (fsynced for level ≥ 3); a grant is
// minted only for a recall that was delivered; agents cannot approve — approval comes only
// from the registered owner gate.
// A use (issue 19) is the same pipeline with a purpose: every gate above, but its leaves are
// `memory.use` naming the command digest, the approval request shows and binds the command, a
// level-3 grant it mints covers only that command's use (never a recall, and a recall grant never
// covers a use), and the value is selected and length-checked inside the delivery job.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { resolveRecallTarget } from './recall-target.js';
import { VaultError, isVaultError, type ErrorCode, type ErrorDetails } from '../errors.js';
import { grantAllowed, MAX_GRANT_MINUTES, needsApproval, recallIsDurable } from '../levels.js';
import { summarize, type MemoryId, type MemoryRow, type MemorySummary } from '../model/memory.js';
import { actorOf, mayReachLevel, mayUseNamespace, type Requester } from '../model/requester.js';
import { recallInputSchema, type RecallInput } from '../model/store-input.js';
import { zeroize } from '../crypto/keys.js';
import type { ApprovalCancelReason } from '../ports/approval-gate.port.js';
import type { EngineContext } from './engine-context.js';
import { respondToRefusal } from './anomaly-response.js';
import { readLockdown } from './lockdown.js';
import { openMemory, type HardwareBinding } from './memory-sealer.js';
import type { GrantPurpose } from './grant-store.js';
import { usePurposeSchema, type UsePurpose } from '../secrets/use-purpose.js';
import { SecretValue } from '../secrets/secret-value.js';
import { neutraliseLine } from '../common/terminal-text.js';
import { selectSecretField } from '../secrets/secret-field.js';
import { isMaskable, MIN_SECRET_BYTES } from '../secrets/secret-mask.js';
import { MAX_FIELD_SEGMENTS, MAX_FIELD_SEGMENT_CHARS } from '../secrets/memory-ref.js';

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

/** A secret resolved for a command (issue 19): what `VaultEngine.use` takes. */
export interface UseInput {
  /** A full memory id (resolve a reference first: VaultEngine.resolveMemoryRef). */
  readonly memoryId: string;
  readonly justification?: string;
  readonly purpose: UsePurpose;
  /** A path into JSON content (from the reference's #field); null/absent = the whole content. */
  readonly field?: readonly string[] | null;
}

/** The value goes to the node-side runner only; SecretValue refuses to be serialised. */
export interface UseResult {
  readonly memory: MemorySummary;
  readonly value: SecretValue;
  readonly auditSeq: number;
}

const useInputSchema = z
  .object({
    memoryId: z.string().min(1).max(200),
    justification: z.string().max(2000).default(''),
    purpose: usePurposeSchema,
    field: z.array(z.string().min(1).max(MAX_FIELD_SEGMENT_CHARS)).max(MAX_FIELD_SEGMENTS).nullable().default(null),
  })
  .strict();

/** The purpose a pipeline instance runs with: null for a plain recall. */
interface UseScope {
  readonly purpose: UsePurpose;
  readonly field: readonly string[] | null;
}

/** How the recall approved: the owner channel (and the grant the owner gave), or an existing grant. */
interface Approval {
  readonly channel: string;
  readonly grantMinutes: number;
}

/** A gate that failed at delivery: thrown inside the commit job so the job rolls back. */
class DeliveryRefusal extends VaultError {}

/** The code a recall refuses with when the vault cancelled its pending request (docs/AGENT-API.md). */
const CANCELLED_BY_VAULT: Readonly<Record<ApprovalCancelReason, { code: ErrorCode; message: string }>> = {
  'agent-revoked': { code: 'UNAUTHORIZED', message: "This agent's token was revoked while the request was pending." },
  'agent-suspended': {
    code: 'AGENT_SUSPENDED',
    message: 'This agent was suspended (a burst of refused requests) while the request was pending.',
  },
  'memory-tombstoned': { code: 'TOMBSTONED', message: 'This memory was tombstoned while the request was pending.' },
  lockdown: { code: 'LOCKDOWN', message: 'The vault went into lockdown while the request was pending.' },
};

export class RecallPipeline {
  constructor(
    private readonly ctx: EngineContext,
    /** Set on the per-use instance `use` makes; a recall pipeline has none. */
    private readonly scope: UseScope | null = null,
  ) {}

  /**
   * Resolve a secret for a command: the recall pipeline with a purpose (see the header). The
   * plaintext is returned to the node-side caller only, as a SecretValue.
   */
  async use(input: UseInput, requester: Requester, options: RecallOptions = {}): Promise<UseResult> {
    const parsed = useInputSchema.safeParse(input);
    if (!parsed.success)
      throw new VaultError(
        'INVALID_INPUT',
        'A use needs a memory id, a command purpose whose digest matches its command line, and an optional field.',
      );
    const { memoryId, justification, purpose, field } = parsed.data;
    const scoped = new RecallPipeline(this.ctx, { purpose, field: field && field.length > 0 ? field : null });
    const r = await scoped.recall({ memoryId, justification }, requester, options);
    return { memory: r.memory, value: SecretValue.adopt(r.content), auditSeq: r.auditSeq };
  }

  /** The leaf kind of this pipeline's recalls and refusals. */
  private get leafKind(): 'memory.recall' | 'memory.use' {
    return this.scope ? 'memory.use' : 'memory.recall';
  }

  /** A use's grants are scoped to its command; a recall's are not (GrantStore keeps them apart). */
  private get grantPurpose(): GrantPurpose | undefined {
    // commandLine/cwd only label the grant for owner surfaces; GrantStore keys on the digest.
    return this.scope
      ? {
          kind: 'use',
          commandDigest: this.scope.purpose.commandDigest,
          commandLine: this.scope.purpose.commandLine,
          cwd: this.scope.purpose.cwd,
        }
      : undefined;
  }

  /** Details every use leaf carries: the command digest (never argv, never the value). */
  private get useDetails(): { commandDigest?: string } {
    return this.scope ? { commandDigest: this.scope.purpose.commandDigest } : {};
  }

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
    // A full id or a short id; an agent outside a memory's namespace learns nothing about whether
    // it exists (recall-target.ts matches prefixes only among what the requester may list).
    const row = resolveRecallTarget(ctx.repo, memoryId, requester);
    if (!row) {
      return this.refuse(requester, null, 'NOT_FOUND', 'No such memory.', { memoryId });
    }
    const memory = row;
    if (memory.tombstonedAt !== null)
      await this.refuse(requester, memory, 'TOMBSTONED', 'This memory was tombstoned and can no longer be recalled.');
    if (!mayReachLevel(requester, memory.level)) {
      await this.refuse(requester, memory, 'FORBIDDEN', `This agent's token does not reach level ${memory.level}.`);
    }

    if (requester.kind === 'agent') {
      // Agent-OS governance (when the owner enforces it) — the same endpoint as the boundary
      // daemon, so its refusal is a BOUNDARY_DENIED that names the authority.
      const governed = await ctx.gates.governance.authorize({
        agentId: requester.agentId,
        action: this.scope ? 'use' : 'recall',
        memoryId: memory.id,
        level: memory.level,
      });
      if (!governed.permitted)
        await this.refuse(requester, memory, 'BOUNDARY_DENIED', `Governance refused: ${governed.reason}`, { authority: 'governance' });
    }

    let environment = 'not checked (level < 3)';
    if (memory.level >= 3) {
      const verdict = await ctx.gates.environment.check({ level: memory.level, memoryId: memory.id, requesterKind: requester.kind });
      environment = verdict.mode ? `${verdict.mode}: ${verdict.reason}` : verdict.reason;
      if (!verdict.permitted) await this.refuse(requester, memory, 'BOUNDARY_DENIED', `Environment check refused: ${verdict.reason}`);
    }

    const now = ctx.clock.now();
    // Cooldown holds are taken synchronously, before any await: concurrent recalls of one memory
    // cannot all pass the check before the first one's timestamp is committed.
    const last = Math.max(memory.lastRecalledAt ?? Number.NEGATIVE_INFINITY, ctx.cooldownHolds.get(memory.id) ?? Number.NEGATIVE_INFINITY);
    if (memory.cooldownMs > 0 && now - last < memory.cooldownMs) {
      const retryAfterMs = memory.cooldownMs - (now - last);
      await this.refuse(requester, memory, 'COOLDOWN', `This memory is cooling down; retry in ${Math.ceil(retryAfterMs / 1000)} s.`, {
        retryAfterMs,
      });
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
    const { signal } = options;
    let approval: Approval | null = null;
    if (needsApproval(memory.level)) approval = await this.approve(memory, requester, justification, environment, options);

    let hardware: HardwareBinding | undefined;
    if (memory.level === 5) {
      // Do not ask the owner to touch a key for a recall that delivery would refuse anyway (the
      // authoritative re-check is still the one inside the delivery transaction).
      if (ctx.lockdown.on) await this.refuse(requester, memory, 'LOCKDOWN', 'The vault went into lockdown while this recall was waiting.');
      hardware = await this.hardwareSecret(memory, requester, signal);
    }

    let delivered: { content: Buffer; auditSeq: number; row: MemoryRow };
    try {
      delivered = await this.deliver(memory, requester, justification, approval, now, hardware);
    } finally {
      if (hardware) zeroize(hardware.secret);
    }
    if (approval && approval.grantMinutes > 0) {
      // Only a delivered recall leaves a grant behind, and GrantStore.mint refuses during lockdown.
      ctx.grants.mint({
        holder: { ...actorOf(requester), name: requester.kind === 'agent' ? requester.name : actorOf(requester).id },
        memoryId: memory.id,
        level: memory.level,
        grantedAt: ctx.clock.now(),
        expiresAt: ctx.clock.now() + approval.grantMinutes * 60_000,
        grantedVia: approval.channel,
        ...(this.grantPurpose ? { purpose: this.grantPurpose } : {}),
      });
    }
    ctx.metrics.recall(memory.level, 'ok', performance.now() - started);
    return { memory: summarize(delivered.row), content: delivered.content, auditSeq: delivered.auditSeq };
  }

  /**
   * The delivery transaction: the gates again against current state, then decryption, then the
   * audit leaf — all in one commit-queue job. A gate that fails throws inside the job (rolled
   * back, nothing decrypted) and is then audited as a refused recall in its own transaction.
   */
  private async deliver(
    memory: MemoryRow,
    requester: Requester,
    justification: string,
    approval: Approval | null,
    startedAt: number,
    hardware: HardwareBinding | undefined,
  ): Promise<{ content: Buffer; auditSeq: number; row: MemoryRow }> {
    const ctx = this.ctx;
    const actor = actorOf(requester);
    // The job may run twice (optimistic batch, then alone): each run drops what the last decrypted.
    const out: { content: Buffer | null; row: MemoryRow | null } = { content: null, row: null };
    try {
      const auditSeq = await ctx.queue.submit(
        () => {
          if (out.content) zeroize(out.content);
          out.content = null;
          const row = this.recheckAtDelivery(memory.id, requester);
          out.row = row;
          out.content = this.decrypt(row, hardware);
          if (this.scope) out.content = this.selectValue(out.content);
          if (row.cooldownMs > 0) ctx.repo.markRecalled(row.id, startedAt);
          return ctx.audit.append({
            kind: this.leafKind,
            actor,
            outcome: 'ok',
            memory: { id: row.id, level: row.level },
            details: {
              justificationChars: justification.length,
              ...(approval ? { approvedVia: approval.channel } : {}),
              ...(this.scope ? { ...this.useDetails, field: this.scope.field !== null } : {}),
            },
          });
        },
        recallIsDurable(memory.level) ? 'full' : 'normal',
      );
      if (!out.content || !out.row) throw new VaultError('INTERNAL', 'The delivery job produced nothing.');
      return { content: out.content, auditSeq, row: out.row };
    } catch (e) {
      // Fail closed: no committed audit leaf, no plaintext.
      if (out.content) zeroize(out.content);
      if (e instanceof DeliveryRefusal) return this.refuse(requester, out.row ?? memory, e.code, e.message, e.details);
      throw isVaultError(e) ? e : new VaultError('AUDIT_FAILURE', 'The recall could not be audited; nothing was released.');
    }
  }

  /**
   * Every gate again, inside the delivery transaction, against state as it is now: the memory
   * row re-read from the repository, lockdown as stored, the requester as the registry has it.
   * Throws DeliveryRefusal; returns the current row.
   */
  private recheckAtDelivery(memoryId: MemoryId, requester: Requester): MemoryRow {
    const ctx = this.ctx;
    if (ctx.lockdown.on || readLockdown(ctx.repo).on)
      throw new DeliveryRefusal('LOCKDOWN', 'The vault went into lockdown while this recall was waiting.');
    const row = ctx.repo.getMemory(memoryId);
    if (!row) throw new DeliveryRefusal('NOT_FOUND', 'No such memory.', { memoryId });
    if (row.tombstonedAt !== null) throw new DeliveryRefusal('TOMBSTONED', 'This memory was tombstoned while this recall was waiting.');
    const status = ctx.gates.requesterStatus.check(requester);
    if (status === 'AGENT_SUSPENDED')
      throw new DeliveryRefusal('AGENT_SUSPENDED', 'This agent was suspended while this recall was waiting.');
    if (status !== null)
      throw new DeliveryRefusal('UNAUTHORIZED', "This agent's token was revoked or has expired while this recall was waiting.");
    if (!mayUseNamespace(requester, row.namespace) || !mayReachLevel(requester, row.level)) {
      throw new DeliveryRefusal('FORBIDDEN', "This agent's token no longer covers this memory.");
    }
    const now = ctx.clock.now();
    if (row.cooldownMs > 0 && row.lastRecalledAt !== null && now - row.lastRecalledAt < row.cooldownMs) {
      const retryAfterMs = row.cooldownMs - (now - row.lastRecalledAt);
      throw new DeliveryRefusal('COOLDOWN', `This memory is cooling down; retry in ${Math.ceil(retryAfterMs / 1000)} s.`, { retryAfterMs });
    }
    return row;
  }

  /** AEAD + content hash; any failure is an integrity refusal (thrown inside the job). */
  private decrypt(row: MemoryRow, hardware: HardwareBinding | undefined): Buffer {
    try {
      if (!row.wrappedDek || !row.ciphertext) throw new VaultError('INTEGRITY_FAILURE', 'The sealed content is missing.');
      return openMemory({
        memoryId: row.id,
        level: row.level,
        profileId: row.profileId,
        formatVersion: row.formatVersion,
        profileKey: this.ctx.profileKey(),
        contentHash: row.contentHash,
        wrappedDek: row.wrappedDek,
        ciphertext: row.ciphertext,
        ...(hardware ? { hardware } : {}),
      });
    } catch (e) {
      throw new DeliveryRefusal(
        'INTEGRITY_FAILURE',
        isVaultError(e) && e.code === 'INTEGRITY_FAILURE' ? e.message : 'The memory could not be decrypted.',
      );
    }
  }

  /**
   * A use's value, inside the delivery job: the referenced field (or the whole content), which
   * must be long enough to mask. Wipes the decrypted content; throws DeliveryRefusal.
   */
  private selectValue(content: Buffer): Buffer {
    const field = this.scope?.field ?? null;
    let value = content;
    if (field !== null) {
      try {
        value = selectSecretField(content, field);
      } catch (e) {
        throw new DeliveryRefusal('INVALID_INPUT', isVaultError(e) ? e.message : 'The referenced field cannot be read.');
      } finally {
        zeroize(content);
      }
    }
    if (!isMaskable(value)) {
      zeroize(value);
      throw new DeliveryRefusal(
        'SECRET_UNMASKABLE',
        `This value is shorter than ${MIN_SECRET_BYTES} bytes, so its output could not be masked; it was not used.`,
      );
    }
    return value;
  }

  private async approve(
    memory: MemoryRow,
    requester: Requester,
    justification: string,
    environment: string,
    options: RecallOptions,
  ): Promise<Approval> {
    const { signal } = options;
    const ctx = this.ctx;
    const actor = actorOf(requester);
    const now = ctx.clock.now();
    if (grantAllowed(memory.level) && ctx.grants.find(actor, memory.id, now, this.grantPurpose))
      return { channel: 'grant', grantMinutes: 0 };
    const requestId = randomUUID();
    const expiresAt = now + ctx.config.approvalTimeoutMs;
    const ref = { id: memory.id, level: memory.level };
    // One agent holds at most config.maxPendingApprovalsPerAgent requests: the owner's queue is not its to flood.
    const decision = await this.withPendingSlot(requester, memory, async () => {
      await ctx.record(
        {
          kind: 'approval.requested',
          actor,
          outcome: 'ok',
          memory: ref,
          details: {
            requestId,
            expiresAt: new Date(expiresAt).toISOString(),
            ...(this.scope ? { purpose: 'use', ...this.useDetails } : {}),
          },
        },
        'full',
      );
      ctx.metrics.approval('requested');
      options.onApprovalRequested?.(requestId, expiresAt);
      return ctx.gates.approvals.requestApproval({
        requestId,
        memory: summarize(memory),
        level: memory.level,
        requester,
        justification,
        createdAt: now,
        expiresAt,
        grantAllowed: grantAllowed(memory.level),
        environment,
        ...(this.scope ? { purpose: this.scope.purpose } : {}),
        ...(signal ? { signal } : {}),
      });
    });
    ctx.metrics.approval(decision.outcome === 'approved' ? 'approved' : decision.outcome);
    switch (decision.outcome) {
      case 'approved': {
        // The grant itself is minted only once this recall is delivered (approveDecryptAndAudit).
        const grantMinutes = grantAllowed(memory.level) ? Math.min(decision.grantMinutes ?? 0, MAX_GRANT_MINUTES) : 0;
        await ctx.record(
          {
            kind: 'approval.granted',
            actor: { type: 'owner', id: decision.channel },
            outcome: 'ok',
            memory: ref,
            details: { requestId, requester: actor.id, grantMinutes, ...(this.scope ? { purpose: 'use', ...this.useDetails } : {}) },
          },
          'full',
        );
        return { channel: decision.channel, grantMinutes };
      }
      case 'denied':
        await ctx.record(
          {
            kind: 'approval.denied',
            actor: { type: 'owner', id: decision.channel },
            outcome: 'ok',
            memory: ref,
            details: { requestId, requester: actor.id },
          },
          'full',
        );
        return this.refuse(requester, memory, 'APPROVAL_DENIED', 'The owner denied this recall.', { requestId });
      case 'expired':
        await ctx.record(
          { kind: 'approval.expired', actor: { type: 'system', id: 'approvals' }, outcome: 'ok', memory: ref, details: { requestId } },
          'full',
        );
        return this.refuse(requester, memory, 'APPROVAL_EXPIRED', 'The approval request expired before the owner answered.', { requestId });
      case 'cancelled': {
        if (decision.reason === undefined) {
          await ctx.record({ kind: 'approval.cancelled', actor, outcome: 'ok', memory: ref, details: { requestId } }, 'full');
          return this.refuse(requester, memory, 'APPROVAL_CANCELLED', 'The approval request was cancelled.', { requestId });
        }
        // The vault ended it (revoke, tombstone, lockdown): audited with the reason, refused with a stable code.
        const { code, message } = CANCELLED_BY_VAULT[decision.reason];
        await ctx.record(
          {
            kind: 'approval.cancelled',
            actor: { type: 'system', id: 'approvals' },
            outcome: 'ok',
            memory: ref,
            reason: decision.reason,
            details: { requestId, requester: actor.id, reason: decision.reason },
          },
          'full',
        );
        return this.refuse(requester, memory, code, message, { requestId, reason: decision.reason });
      }
      case 'unavailable':
        return this.refuse(
          requester,
          memory,
          'APPROVAL_REQUIRED',
          `Level ${memory.level} recalls need the owner's approval and no approval channel is available.`,
          { requestId },
        );
      default: {
        const never: never = decision;
        throw new Error(`unknown approval outcome ${JSON.stringify(never)}`);
      }
    }
  }

  /** Run `ask` holding one of the agent's pending-request slots; RATE_LIMITED (audited) when none is free. */
  private async withPendingSlot<T>(requester: Requester, memory: MemoryRow, ask: () => Promise<T>): Promise<T> {
    if (requester.kind !== 'agent') return ask();
    const max = this.ctx.config.maxPendingApprovalsPerAgent;
    const release = this.ctx.pendingApprovals.acquire(requester.agentId, max);
    if (!release) {
      return this.refuse(
        requester,
        memory,
        'RATE_LIMITED',
        `This agent already has ${max} approval requests pending; wait for the owner's answers.`,
        { maxPending: max },
      );
    }
    try {
      return await ask();
    } finally {
      release();
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
        // The command is requester text on the owner's terminal: neutralised (DESIGN §3a).
        reason: this.scope
          ? `Use of "${memory.title}" to run ${neutraliseLine(this.scope.purpose.commandLine[0] ?? 'a command')}`
          : `Recall of "${memory.title}"`,
        ...(signal ? { signal } : {}),
      });
      return { secret: result.secret, salt: memory.hwSalt };
    } catch (e) {
      const code: ErrorCode = isVaultError(e) && (e.code === 'TOKEN_MISMATCH' || e.code === 'TOKEN_REQUIRED') ? e.code : 'TOKEN_REQUIRED';
      return this.refuse(requester, memory, code, isVaultError(e) ? e.message : 'The security key did not answer.');
    }
  }

  /** Audit the refusal (committed before the caller learns of it), feed the anomaly detector, throw. */
  private async refuse(
    requester: Requester,
    memory: MemoryRow | null,
    code: ErrorCode,
    message: string,
    details: ErrorDetails = {},
  ): Promise<never> {
    const ctx = this.ctx;
    ctx.metrics.recall(memory?.level ?? null, code);
    const actor = actorOf(requester);
    await ctx.record(
      {
        kind: code === 'INTEGRITY_FAILURE' ? 'integrity.failure' : code === 'BOUNDARY_DENIED' ? 'boundary.denied' : this.leafKind,
        actor,
        outcome: 'refused',
        code,
        reason: message,
        ...(memory ? { memory: { id: memory.id, level: memory.level } } : {}),
        ...(this.scope ? { details: this.useDetails } : {}),
      },
      code === 'INTEGRITY_FAILURE' || (memory !== null && memory.level >= 3) ? 'full' : 'normal',
    );
    // A burst from one agent suspends that agent; lockdown only as anomaly-response.ts says.
    await respondToRefusal(ctx, requester, code);
    throw new VaultError(code, message, details);
  }
}
