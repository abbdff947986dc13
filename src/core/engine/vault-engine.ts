// The vault engine: one unlocked profile, its repository and its gates. Shells (CLI, agent
// server, Electron main) call these methods; nothing here knows how the caller reached us.
import { randomBytes, randomUUID } from 'node:crypto';
import { memoryIdSchema, parseMemoryId } from '../common/ids.schema.js';
import { VaultError, type ErrorCode } from '../errors.js';
import type { AuditEventInput, AuditScalar } from '../events/audit-event.js';
import { AuditedWriteHandle, type AuditedWrite } from './audited-write.js';
import { contentSearchable, DEFAULT_EPHEMERAL_TTL_MS, LEVELS, type Level } from '../levels.js';
import { MEMORY_FORMAT_VERSION } from '../crypto/memory-binding.js';
import { sha256, zeroize } from '../crypto/keys.js';
import { shortIdOf, summarize, type MemoryRow, type MemorySummary } from '../model/memory.js';
import { actorOf, mayReachLevel, mayUseNamespace, type OwnerChannel, type Requester } from '../model/requester.js';
import {
  listInputSchema,
  searchInputSchema,
  MAX_CONTENT_BYTES,
  storeInputSchema,
  type ListInput,
  type RecallInput,
  type SearchInput,
  type StoreInput,
} from '../model/store-input.js';
import { noApprover } from '../ports/approval-gate.port.js';
import { systemClock, type Clock } from '../ports/clock.port.js';
import { noBoundaryProvider } from '../ports/environment-gate.port.js';
import { noOwnerVerifier, type OwnerProofCheck } from '../ports/owner-proof.port.js';
import { noRequesterRegistry } from '../ports/requester-status.port.js';
import type { MemoryFilter, VaultRepository } from '../ports/vault-repository.port.js';
import type { AuditAppendListener } from './audit-append-feed.js';
import { EngineContext, type EngineConfig, type EngineGates } from './engine-context.js';
import type { Grant } from './grant-store.js';
import { DEFAULT_ANOMALY_RULE, readLockdownRules, type LockdownState } from './lockdown.js';
import { sealMemory } from './memory-sealer.js';
import { ANOMALY_CODES, respondToRefusal } from './anomaly-response.js';
import { replayRecentRefusals } from './anomaly-replay.js';
import { noGovernance } from '../ports/governance.port.js';
import { DEFAULT_MAX_PENDING_APPROVALS_PER_AGENT } from './pending-approvals.js';
import { toFtsQuery } from './fts-query.js';
import { RecallPipeline, type RecallOptions, type RecallResult, type UseInput, type UseResult } from './recall-pipeline.js';
import { parseMemoryRef, type MemoryRef } from '../secrets/memory-ref.js';
import { changedLabels, editLabelsInputSchema, labelSearchText, type EditLabelsInput } from '../model/memory-labels.js';
import { resolveMemoryRef } from '../secrets/memory-ref-resolver.js';
import { DEFAULT_CHECKPOINT_POLICY } from '../transparency/checkpointer.js';
import type { AuditLogService } from '../transparency/audit-log.service.js';
import type { MetricsSnapshot } from '../metrics/vault-metrics.js';

/**
 * Proof that the owner has just presented valid credentials; minted only by the node shell's
 * owner verifier and checked by identity at use (`ownerProofs`), so a literal is refused.
 */
export interface OwnerProof {
  readonly __ownerProof: true;
  readonly channel: 'cli' | 'desktop' | 'terminal';
}

/**
 * Whether this profile's key is sealed to a TPM, and whether this machine has one (DESIGN §2:
 * level 4+ keys are sealed to the TPM where one exists). Given by the node shell.
 */
export interface PlatformTpm {
  readonly bound: boolean;
  present(): Promise<boolean>;
  /** Told in plain words when a level ≥ 4 memory is stored with the software key only. */
  readonly warn?: (message: string) => void;
}

export const TPM_FALLBACK_WARNING = 'This machine has no TPM: this memory is protected by the software key only (not sealed to a TPM).';

export interface VaultEngineOptions {
  readonly repo: VaultRepository;
  readonly vaultId: string;
  readonly profileId: string;
  readonly profileKey: Buffer;
  readonly clock?: Clock;
  readonly gates?: Partial<EngineGates>;
  readonly config?: Partial<EngineConfig>;
  /** Absent (engine built directly): no TPM note is made on store. */
  readonly platformTpm?: PlatformTpm;
  /** Which owner proofs are genuine (the session's owner verifier); absent: none is. */
  readonly ownerProofs?: OwnerProofCheck;
}

export interface VaultStatus {
  readonly memories: Record<Level, number>;
  readonly auditEvents: number;
  readonly lockdown: LockdownState;
  readonly metrics: MetricsSnapshot;
  /** Resource caps in force: the engine's (pending approvals per agent) and the server's, when one runs. */
  readonly limits: Readonly<Record<string, number>>;
}

function flattenInvalid(e: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  return e.issues.map((i) => `${i.path.map(String).join('.') || 'input'}: ${i.message}`).join('; ');
}

export class VaultEngine {
  private readonly ctx: EngineContext;
  private readonly pipeline: RecallPipeline;
  private purgeTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly platformTpm: PlatformTpm | undefined;
  private serverLimits: Readonly<Record<string, number>> = {};
  private readonly ownerProofs: OwnerProofCheck;

  constructor(opts: VaultEngineOptions) {
    this.platformTpm = opts.platformTpm;
    this.ownerProofs = opts.ownerProofs ?? noOwnerVerifier;
    const gates: EngineGates = {
      approvals: opts.gates?.approvals ?? noApprover,
      environment: opts.gates?.environment ?? noBoundaryProvider,
      hardwareKey: opts.gates?.hardwareKey ?? null,
      agentSuspender: opts.gates?.agentSuspender ?? null,
      requesterStatus: opts.gates?.requesterStatus ?? noRequesterRegistry,
      governance: opts.gates?.governance ?? noGovernance,
    };
    const config: EngineConfig = {
      approvalTimeoutMs: opts.config?.approvalTimeoutMs ?? 5 * 60_000,
      anomaly: opts.config?.anomaly ?? DEFAULT_ANOMALY_RULE,
      maxPendingApprovalsPerAgent: opts.config?.maxPendingApprovalsPerAgent ?? DEFAULT_MAX_PENDING_APPROVALS_PER_AGENT,
      checkpoints: opts.config?.checkpoints ?? DEFAULT_CHECKPOINT_POLICY,
    };
    this.ctx = new EngineContext(opts.repo, opts.vaultId, opts.clock ?? systemClock, opts.profileId, opts.profileKey, gates, config);
    this.pipeline = new RecallPipeline(this.ctx);
    // Refusals counted by earlier processes (each CLI run is one) still count here.
    replayRecentRefusals({
      detector: this.ctx.anomaly,
      log: opts.repo,
      now: this.ctx.clock.now(),
      windowMs: readLockdownRules(opts.repo, config.anomaly).windowMs,
      countedCodes: ANOMALY_CODES,
      lockdownOn: this.ctx.lockdown.on,
    });
  }

  /** Swap an owner channel or provider at run time (e.g. when the desktop window opens). */
  setGates(gates: Partial<EngineGates>): void {
    Object.assign(this.ctx.gates, gates);
  }

  async store(input: StoreInput, requester: Requester): Promise<MemorySummary> {
    // Every refusal below is a committed `memory.store` leaf before the caller hears of it
    // (issue 14 item 1). Leaves carry the code, a reason written here, and level/namespace/size
    // at most: never content, title, tags or metadata.
    const parsed = storeInputSchema.safeParse(input);
    if (!parsed.success) {
      const known = new Set(Object.keys(storeInputSchema.shape));
      // Only schema field names reach the leaf: an unknown key or a metadata key is agent text.
      const fields = [...new Set(parsed.error.issues.map((i) => (known.has(String(i.path[0])) ? String(i.path[0]) : 'input')))];
      return this.refuseStore(requester, 'INVALID_INPUT', `Invalid memory: ${flattenInvalid(parsed.error)}`, {
        leafReason: 'Invalid memory input',
        details: { fields },
      });
    }
    const v = parsed.data;
    const ctx = this.ctx;
    const actor = actorOf(requester);
    const scope = { level: v.level, namespace: v.namespace };
    if (requester.kind === 'agent' && ctx.lockdown.on)
      return this.refuseStore(requester, 'LOCKDOWN', 'The vault is in lockdown.', { details: scope });
    if (!mayReachLevel(requester, v.level))
      return this.refuseStore(requester, 'FORBIDDEN', `This agent's token does not reach level ${v.level}.`, { details: scope });
    if (!mayUseNamespace(requester, v.namespace))
      return this.refuseStore(requester, 'FORBIDDEN', `This agent's token does not cover namespace "${v.namespace}".`, { details: scope });
    if (requester.kind === 'agent') {
      const governed = await ctx.gates.governance.authorize({ agentId: requester.agentId, action: 'store', level: v.level });
      if (!governed.permitted)
        return this.refuseStore(requester, 'BOUNDARY_DENIED', `Governance refused: ${governed.reason}`, { details: scope });
    }
    const content = typeof v.content === 'string' ? Buffer.from(v.content, 'utf8') : Buffer.from(v.content);
    if (content.length > MAX_CONTENT_BYTES) {
      zeroize(content);
      return this.refuseStore(requester, 'INVALID_INPUT', 'Memory content is limited to 1 MiB.', {
        details: { ...scope, size: content.length },
      });
    }
    const refuseWith = async (code: ErrorCode, message: string, leafReason?: string): Promise<never> => {
      zeroize(content);
      return this.refuseStore(requester, code, message, { details: scope, ...(leafReason !== undefined ? { leafReason } : {}) });
    };

    // Level 4+ (level 5 is "all of level 4"): TPM-bound where a TPM exists, else say so plainly.
    let tpmBound: boolean | undefined;
    if (v.level >= 4 && this.platformTpm) {
      tpmBound = this.platformTpm.bound;
      if (!tpmBound) {
        if (await this.platformTpm.present()) {
          return refuseWith(
            'HARDWARE_REQUIRED',
            `Level-${v.level} memories need a TPM-bound profile on this machine, which has a TPM: create the vault with \`memory-vault init --tpm\`.`,
          );
        }
        this.platformTpm.warn?.(TPM_FALLBACK_WARNING);
      }
    }

    const id = memoryIdSchema.parse(randomUUID());
    const now = ctx.clock.now();
    let hardware: { secret: Uint8Array; salt: Buffer; credentialId: string } | undefined;
    if (v.level === 5) {
      const port = ctx.gates.hardwareKey;
      const enrolled = port?.enrolledCredentials() ?? [];
      if (!port || enrolled.length === 0) return refuseWith('HARDWARE_REQUIRED', 'Level-5 memories need an enrolled security key.');
      const salt = randomBytes(32);
      // The key's own refusal (TOKEN_REQUIRED, TOKEN_MISMATCH, …) is a leaf too; the port's message
      // is not copied into it, since the prompt it answers names the title.
      const result = await port
        .deriveSecret({ salt, allowCredentials: enrolled, reason: `Store "${v.title}" at level 5` })
        .catch((e: unknown) =>
          e instanceof VaultError
            ? refuseWith(e.code, e.message, 'The security key did not release the level-5 secret.')
            : Promise.reject(e),
        );
      hardware = { secret: result.secret, salt, credentialId: result.credentialId };
    }
    let sealed;
    try {
      sealed = sealMemory({
        memoryId: id,
        level: v.level,
        profileId: ctx.profileId,
        profileKey: ctx.profileKey(),
        content,
        ...(hardware ? { hardware } : {}),
      });
    } finally {
      if (hardware) zeroize(hardware.secret);
    }
    const row: MemoryRow = {
      id,
      namespace: v.namespace,
      level: v.level,
      profileId: ctx.profileId,
      title: v.title,
      tags: v.tags,
      metadata: v.metadata,
      intentRef: v.intentRef,
      createdAt: now,
      createdBy: `${actor.type}:${actor.id}`,
      expiresAt: v.level === 0 ? now + (v.ttlSeconds !== undefined ? v.ttlSeconds * 1000 : DEFAULT_EPHEMERAL_TTL_MS) : null,
      cooldownMs: v.cooldownSeconds * 1000,
      lastRecalledAt: null,
      tombstonedAt: null,
      formatVersion: MEMORY_FORMAT_VERSION,
      contentHash: sealed.contentHash,
      commitSalt: sealed.commitSalt,
      wrappedDek: sealed.wrappedDek,
      hwSalt: hardware?.salt ?? null,
      hwCredential: hardware?.credentialId ?? null,
      ciphertext: sealed.ciphertext,
      size: content.length,
    };
    const text = { ...labelSearchText(v), content: contentSearchable(v.level) ? content.toString('utf8') : '' };
    zeroize(content);
    await ctx.queue.submit(
      () => {
        ctx.repo.insertMemory(row, text);
        ctx.audit.append({
          kind: 'memory.store',
          actor,
          outcome: 'ok',
          memory: { id, level: v.level, commitment: sealed.commitment },
          details: { namespace: v.namespace, size: row.size, ...(tpmBound !== undefined ? { tpmBound } : {}) },
        });
      },
      v.level >= 3 ? 'full' : 'normal',
    );
    ctx.metrics.store(v.level);
    return summarize(row);
  }

  /**
   * A refused store: the refused `memory.store` leaf commits first, then the refusal feeds the
   * anomaly detector (only scope-like codes count, see anomaly-response.ts), then the caller hears
   * of it. `leafReason` replaces the message in the leaf where the message could quote input.
   */
  private async refuseStore(
    requester: Requester,
    code: ErrorCode,
    message: string,
    leaf: { readonly leafReason?: string; readonly details?: Readonly<Record<string, AuditScalar | readonly AuditScalar[]>> } = {},
  ): Promise<never> {
    await this.ctx.record(
      {
        kind: 'memory.store',
        actor: actorOf(requester),
        outcome: 'refused',
        code,
        reason: leaf.leafReason ?? message,
        ...(leaf.details ? { details: leaf.details } : {}),
      },
      'normal',
    );
    await respondToRefusal(this.ctx, requester, code);
    throw new VaultError(code, message);
  }

  recall(input: RecallInput, requester: Requester, options?: RecallOptions): Promise<RecallResult> {
    return this.pipeline.recall(input, requester, options);
  }

  /** Issue 19: resolve a secret for a command through the recall pipeline (recall-pipeline.ts `use`). */
  use(input: UseInput, requester: Requester, options?: RecallOptions): Promise<UseResult> {
    return this.pipeline.use(input, requester, options);
  }

  /**
   * Issue 19: the memory an `mv://` reference names, as the requester may see it (metadata only,
   * like list/describe: not audited). NOT_FOUND, REFERENCE_AMBIGUOUS, INVALID_INPUT (bad syntax).
   */
  resolveMemoryRef(ref: MemoryRef | string, requester: Requester): MemorySummary {
    const parsed = typeof ref === 'string' ? parseMemoryRef(ref) : ref;
    return summarize(resolveMemoryRef(this.ctx.repo, parsed, requester));
  }

  private filterFor(
    requester: Requester,
    namespace: string | undefined,
    limit: number,
    offset: number,
    includeTombstoned: boolean,
    level?: Level,
  ): MemoryFilter {
    const reachable = LEVELS.filter((l) => mayReachLevel(requester, l) && (level === undefined || l === level));
    let namespaces: readonly string[] | null = requester.kind === 'agent' ? requester.namespaces : null;
    if (namespace !== undefined) {
      namespaces = namespaces === null || namespaces.includes(namespace) ? [namespace] : [];
    }
    return { levels: reachable, namespaces, includeTombstoned, limit, offset };
  }

  /**
   * Metadata search over every level the requester reaches; content matches only for levels 0–2.
   * The filter carries the requester's levels and namespaces into the repository, which ranks over
   * that permitted set only and applies the limit after filtering: neither the order nor the count
   * depends on rows the requester cannot see (security test: search-ranking-oracle).
   */
  async search(input: SearchInput, requester: Requester): Promise<MemorySummary[]> {
    const parsed = searchInputSchema.safeParse(input);
    if (!parsed.success) throw new VaultError('INVALID_INPUT', `Invalid search: ${flattenInvalid(parsed.error)}`);
    const { query, limit, namespace } = parsed.data;
    const fts = toFtsQuery(query);
    const rows = fts === null ? [] : this.ctx.repo.searchMemories(fts, this.filterFor(requester, namespace, limit, 0, false));
    await this.ctx.record(
      {
        kind: 'memory.search',
        actor: actorOf(requester),
        outcome: 'ok',
        // The query itself may be sensitive: only its hash is logged.
        details: { queryHash: sha256(query).toString('hex').slice(0, 32), results: rows.length },
      },
      'normal',
    );
    return rows.map(summarize);
  }

  async list(input: ListInput, requester: Requester): Promise<MemorySummary[]> {
    const parsed = listInputSchema.safeParse(input);
    if (!parsed.success) throw new VaultError('INVALID_INPUT', `Invalid list request: ${flattenInvalid(parsed.error)}`);
    const { namespace, level, includeTombstoned, limit, offset } = parsed.data;
    const rows = this.ctx.repo.listMemories(this.filterFor(requester, namespace, limit, offset, includeTombstoned, level));
    await this.ctx.record({ kind: 'memory.list', actor: actorOf(requester), outcome: 'ok', details: { results: rows.length } }, 'normal');
    return rows.map(summarize);
  }

  /** Metadata of one memory for owner surfaces (tombstone confirmation, approval dialog). */
  describe(memoryIdOrShortId: string): MemorySummary {
    return summarize(this.resolve(memoryIdOrShortId));
  }

  private resolve(memoryIdOrShortId: string): MemoryRow {
    const fullId = parseMemoryId(memoryIdOrShortId);
    const direct = fullId === undefined ? undefined : this.ctx.repo.getMemory(fullId);
    if (direct) return direct;
    if (/^[0-9a-f]{8}$/i.test(memoryIdOrShortId)) {
      const matches = this.ctx.repo.findMemoryByShortId(memoryIdOrShortId.toLowerCase());
      if (matches.length === 1 && matches[0]) return matches[0];
      if (matches.length > 1) throw new VaultError('INVALID_INPUT', 'That short id is ambiguous; use the full memory id.');
    }
    throw new VaultError('NOT_FOUND', 'No such memory.');
  }

  /**
   * Owner-only. The owner confirms by typing the memory's short id; the DEK and ciphertext are
   * destroyed (crypto-shredding) and the metadata stays for the audit trail.
   */
  async tombstone(args: { memoryId: string; confirmShortId: string; reason?: string }, owner: OwnerProof): Promise<MemorySummary> {
    this.requireOwnerProof(owner);
    const row = this.resolve(args.memoryId);
    if (row.tombstonedAt !== null) throw new VaultError('TOMBSTONED', 'This memory is already tombstoned.');
    if (args.confirmShortId.trim().toLowerCase() !== shortIdOf(row.id)) {
      throw new VaultError('INVALID_INPUT', "The confirmation does not match the memory's short id; nothing was changed.");
    }
    const at = this.ctx.clock.now();
    await this.ctx.queue.submit(() => {
      this.ctx.repo.tombstone(row.id, at);
      this.ctx.audit.append({
        kind: 'memory.tombstone',
        actor: { type: 'owner', id: owner.channel },
        outcome: 'ok',
        memory: { id: row.id, level: row.level },
        ...(args.reason ? { details: { reasonChars: args.reason.length } } : {}),
      });
    }, 'full');
    // A recall already waiting for the owner ends now with TOMBSTONED; grants for it go too.
    await this.ctx.withdrawAccess({ memoryId: row.id }, 'memory-tombstoned');
    return { ...summarize(row), tombstoned: true };
  }

  /**
   * Owner-only: change a live memory's title, tags or metadata. Its level, namespace and content
   * are bound into its envelope and cannot change here. The `memory.edit` leaf names the fields
   * changed, never their values; an edit that changes nothing writes nothing.
   */
  async editLabels(input: EditLabelsInput, owner: OwnerProof): Promise<MemorySummary> {
    this.requireOwnerProof(owner);
    const parsed = editLabelsInputSchema.safeParse(input);
    if (!parsed.success) throw new VaultError('INVALID_INPUT', `Invalid edit: ${flattenInvalid(parsed.error)}`);
    const v = parsed.data;
    const row = this.resolve(v.memoryId);
    if (row.tombstonedAt !== null) throw new VaultError('TOMBSTONED', 'A tombstoned memory cannot be edited.');
    const next = { title: v.title ?? row.title, tags: v.tags ?? row.tags, metadata: v.metadata ?? row.metadata };
    const fields = changedLabels(row, next);
    if (fields.length === 0) return summarize(row);
    await this.ctx.queue.submit(
      () => {
        this.ctx.repo.updateMemoryLabels(row.id, next, labelSearchText(next));
        this.ctx.audit.append({
          kind: 'memory.edit',
          actor: { type: 'owner', id: owner.channel },
          outcome: 'ok',
          memory: { id: row.id, level: row.level },
          details: { fields },
        });
      },
      row.level >= 3 ? 'full' : 'normal',
    );
    return summarize({ ...row, ...next });
  }

  /**
   * Called by every shell path that revokes an agent token, after the revocation committed:
   * the agent's pending requests end (its waiting recalls refuse with UNAUTHORIZED) and its
   * grants are deleted. Delivery re-checks the registry anyway; this makes the end immediate.
   */
  async onRequesterRevoked(agentId: string): Promise<{ cancelled: number; grantsRevoked: number }> {
    const r = await this.ctx.withdrawAccess({ agentId }, 'agent-revoked');
    return { cancelled: r.cancelled, grantsRevoked: r.grants.length };
  }

  /** Owner surfaces: the level-3 grants that are live now. */
  listGrants(): Grant[] {
    return this.ctx.grants.list(this.ctx.clock.now());
  }

  /**
   * Owner surfaces: delete one grant (audited as grant.revoke). NOT_FOUND for an unknown or
   * expired one. Like turning lockdown on, it only takes access away, so no fresh unlock is asked.
   */
  async revokeGrant(grantId: string, owner: { readonly kind: 'owner'; readonly channel: OwnerChannel }): Promise<Grant> {
    if (!this.listGrants().some((g) => g.grantId === grantId)) throw new VaultError('NOT_FOUND', 'No such grant.');
    const [removed] = await this.ctx.revokeGrants((g) => g.grantId === grantId, 'owner', { type: 'owner', id: owner.channel });
    if (!removed) throw new VaultError('NOT_FOUND', 'No such grant.');
    return removed;
  }

  lockdownStatus(): LockdownState {
    return this.ctx.lockdown;
  }

  async lockdownOn(requester: Requester, reason = 'Owner request'): Promise<LockdownState> {
    if (requester.kind === 'agent') throw new VaultError('FORBIDDEN', 'Agents cannot change lockdown.');
    if (this.ctx.lockdown.on) return this.ctx.lockdown;
    const by = actorOf(requester);
    await this.ctx.setLockdown({ on: true, since: this.ctx.clock.now(), by: `${by.type}:${by.id}`, reason }, requester);
    return this.ctx.lockdown;
  }

  /** Lifting lockdown needs the owner's full unlock, proven by an OwnerProof. */
  async lockdownOff(owner: OwnerProof): Promise<LockdownState> {
    this.requireOwnerProof(owner);
    if (!this.ctx.lockdown.on) return this.ctx.lockdown;
    await this.ctx.setLockdown({ on: false, since: null, by: null, reason: null }, { kind: 'owner', channel: owner.channel });
    return this.ctx.lockdown;
  }

  /** Before any owner-only change: a proof this vault's owner verifier did not issue changes nothing. */
  private requireOwnerProof(owner: OwnerProof): void {
    if (!this.ownerProofs.accepts(owner))
      throw new VaultError('UNAUTHORIZED', "This owner proof was not issued by this vault's owner verifier.");
  }

  /** Delete level-0 memories past their TTL (on start and on a timer). */
  async purgeExpired(): Promise<{ purged: number }> {
    const now = this.ctx.clock.now();
    let purged = 0;
    for (;;) {
      const ids = this.ctx.repo.expiredEphemeral(now, 500);
      if (ids.length === 0) break;
      await this.ctx.queue.submit(() => {
        this.ctx.repo.deleteMemories(ids);
        this.ctx.audit.append({
          kind: 'memory.purge',
          actor: { type: 'system', id: 'ttl-purge' },
          outcome: 'ok',
          details: { count: ids.length, memoryIds: ids },
        });
      }, 'full');
      purged += ids.length;
    }
    return { purged };
  }

  startPurgeSchedule(intervalMs = 60_000): void {
    this.purgeTimer ??= setInterval(() => {
      this.purgeExpired().catch(() => undefined);
    }, intervalMs).unref();
  }

  /** The serving shell's resource caps (connections, login deadline, parked bytes), stated in status. */
  reportLimits(limits: Readonly<Record<string, number>>): void {
    this.serverLimits = { ...limits };
  }

  status(): VaultStatus {
    return {
      memories: this.ctx.repo.countByLevel(),
      auditEvents: this.ctx.repo.auditSize(),
      lockdown: this.ctx.lockdown,
      metrics: this.ctx.metrics.snapshot(),
      limits: { pendingApprovalsPerAgent: this.ctx.config.maxPendingApprovalsPerAgent, ...this.serverLimits },
    };
  }

  /**
   * The one audited write path for node-side features (agents, hardware keys, dead-man, escrow,
   * rotation, backup, settings): `work` and its audit leaf run in ONE transaction on the engine's
   * commit queue, so either both are stored or neither (issue 14 item 1, issue 18 item 2).
   * `work` gets a typed write handle for vault state; writes to other tables go through their
   * store module, called from inside `work` (same connection, same transaction).
   * `event` may return null only when `work` changed nothing (e.g. a release another caller
   * already recorded): a handle that wrote and yields no leaf is rolled back.
   */
  runAudited<T>(
    work: (tx: AuditedWrite) => T,
    event: (result: T) => AuditEventInput | null,
    durability: 'normal' | 'full' = 'full',
  ): Promise<T> {
    return this.ctx.queue.submit(() => {
      const tx = new AuditedWriteHandle(this.ctx.repo);
      const result = work(tx);
      const leaf = event(result);
      if (leaf !== null) this.ctx.audit.append(leaf);
      else if (tx.wrote) throw new VaultError('AUDIT_FAILURE', 'A state change without its audit event was refused; nothing was changed.');
      return result;
    }, durability);
  }

  /** Record an event that happened outside the engine (unlock, agent token changes, export). */
  recordEvent(event: Parameters<EngineContext['record']>[0], durability: 'normal' | 'full' = 'full'): Promise<number> {
    return this.ctx.record(event, durability);
  }

  /**
   * Resolve once no recall is in progress and every queued write has committed — e.g. after
   * expiring pending approvals, before closing, so their refusals are audited. Gives up after
   * `timeoutMs` (a recall waiting on a hardware key could otherwise hold it forever).
   */
  async drain(timeoutMs = 5_000): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (this.ctx.activeRecalls > 0 || !this.ctx.queue.idle) {
      if (Date.now() > until) return false;
      await new Promise<void>((r) => setImmediate(r));
    }
    return true;
  }

  /** The transparency log: checkpoints, proofs, bundles, verification, witness. */
  get auditLog(): AuditLogService {
    return this.ctx.auditLog;
  }

  /** Hear the kinds of audit leaf appended (batched, after commit): every state change is one. */
  onAuditAppended(listener: AuditAppendListener): () => void {
    return this.ctx.appended.subscribe(listener);
  }

  /** Commit what is queued, sign a final checkpoint, stop timers and wipe the profile key. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.purgeTimer) clearInterval(this.purgeTimer);
    this.ctx.queue.flushNow();
    this.ctx.auditLog.checkpointer.stop();
    this.ctx.auditLog.checkpointer.checkpointSync();
    this.ctx.wipeKeys();
  }
}
