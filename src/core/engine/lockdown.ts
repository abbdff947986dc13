// Lockdown: while on, every recall is refused. The owner, an integrity failure, repeated bad
// credentials (rules the owner configures, stored in vault_state) or an anomaly trips it; lifting
// it requires proof of the owner's full unlock. Invariant: a burst of refusals from one *agent*
// suspends that agent only (anomaly-response.ts) — the least trusted party cannot take the whole
// vault down; bursts from the owner or a system component, and agents suspended for bursts
// across several agents at once, still mean lockdown.
import { z } from 'zod';
import type { VaultRepository } from '../ports/vault-repository.port.js';

export interface LockdownState {
  readonly on: boolean;
  readonly since: number | null;
  readonly by: string | null;
  readonly reason: string | null;
}

export interface AnomalyRule {
  /** Refusals from one requester within `windowMs` that suspend it (agent) or trip lockdown. */
  readonly maxRefusals: number;
  readonly windowMs: number;
  /** Distinct agents suspended for refusal bursts within `windowMs` that trip lockdown (default 3). */
  readonly suspendedAgentsForLockdown?: number;
}

export const DEFAULT_SUSPENDED_AGENTS_FOR_LOCKDOWN = 3;

export const DEFAULT_ANOMALY_RULE: AnomalyRule = {
  maxRefusals: 10,
  windowMs: 60_000,
  suspendedAgentsForLockdown: DEFAULT_SUSPENDED_AGENTS_FOR_LOCKDOWN,
};

/** The owner's lockdown triggers, kept in vault_state under LOCKDOWN_RULES_STATE. */
export const lockdownRulesSchema = z
  .object({
    /** Refusals from one requester within `windowMs` that trip lockdown. */
    maxRefusals: z.number().int().min(1).max(100_000),
    windowMs: z
      .number()
      .int()
      .min(1_000)
      .max(7 * 24 * 3_600_000),
    /** Any integrity failure (a memory that does not decrypt or match its hash) trips lockdown at once. */
    onIntegrityFailure: z.boolean(),
    /** Failed unlock attempts (counted next to the header) that trip lockdown; null = rule off. */
    maxBadCredentials: z.number().int().min(1).max(1_000).nullable(),
  })
  .strict();

export type LockdownRules = z.infer<typeof lockdownRulesSchema>;

export const LOCKDOWN_RULES_STATE = 'lockdown.rules';

export function defaultLockdownRules(anomaly: AnomalyRule = DEFAULT_ANOMALY_RULE): LockdownRules {
  return { maxRefusals: anomaly.maxRefusals, windowMs: anomaly.windowMs, onIntegrityFailure: false, maxBadCredentials: null };
}

/** Stored rules, or the defaults (built from the engine's configured anomaly rule) when none are stored or they are unreadable. */
export function readLockdownRules(repo: Pick<VaultRepository, 'getState'>, fallback: AnomalyRule = DEFAULT_ANOMALY_RULE): LockdownRules {
  const raw = repo.getState(LOCKDOWN_RULES_STATE);
  if (raw === undefined) return defaultLockdownRules(fallback);
  try {
    const parsed = lockdownRulesSchema.safeParse(JSON.parse(raw));
    if (parsed.success) return parsed.data;
  } catch {
    /* fall through: a damaged rule set must not disable lockdown, so the defaults apply */
  }
  return defaultLockdownRules(fallback);
}

export function writeLockdownRules(repo: VaultRepository, rules: LockdownRules): void {
  repo.setState(LOCKDOWN_RULES_STATE, JSON.stringify(lockdownRulesSchema.parse(rules)));
}

const STATE_KEY = 'lockdown';
const OFF: LockdownState = { on: false, since: null, by: null, reason: null };

export function readLockdown(repo: VaultRepository): LockdownState {
  const raw = repo.getState(STATE_KEY);
  if (raw === undefined) return OFF;
  const parsed = storedLockdownOnSchema.safeParse(JSON.parse(raw));
  return parsed.success ? parsed.data : OFF;
}

/**
 * A stored lockdown that is on. Fails closed: `on: true` keeps the vault locked down even when the
 * descriptive fields are missing or damaged (each falls back to null rather than refusing the row).
 */
const storedLockdownOnSchema = z.object({
  on: z.literal(true),
  since: z.number().nullable().catch(null),
  by: z.string().nullable().catch(null),
  reason: z.string().nullable().catch(null),
});

export function writeLockdown(repo: VaultRepository, state: LockdownState): void {
  repo.setState(STATE_KEY, JSON.stringify(state));
}

/** Sliding-window refusal counter per requester, and the agents suspended within the window. */
export class AnomalyDetector {
  private readonly refusals = new Map<string, number[]>();
  private readonly suspensions = new Map<string, number>();
  private readonly rule: () => AnomalyRule;

  /** A fixed rule, or a provider read on every refusal (so rule changes apply at once). */
  constructor(rule: AnomalyRule | (() => AnomalyRule)) {
    this.rule = typeof rule === 'function' ? rule : () => rule;
  }

  /**
   * Record a refusal; true when the requester has crossed the threshold. Its window then starts
   * afresh: the burst is acted on once, and an agent the owner resumes starts from zero.
   */
  record(requesterId: string, at: number): boolean {
    const rule = this.rule();
    const cutoff = at - rule.windowMs;
    const times = (this.refusals.get(requesterId) ?? []).filter((t) => t > cutoff);
    times.push(at);
    if (times.length >= rule.maxRefusals) {
      this.refusals.delete(requesterId);
      return true;
    }
    this.refusals.set(requesterId, times);
    return false;
  }

  /** Note an agent suspended for a burst; returns how many distinct agents were within the window. */
  recordSuspension(agentId: string, at: number): number {
    const cutoff = at - this.rule().windowMs;
    this.suspensions.set(agentId, at);
    for (const [id, t] of this.suspensions) if (t <= cutoff) this.suspensions.delete(id);
    return this.suspensions.size;
  }

  /** "10 refusals within 60 s": the rule in force, for reasons shown to the owner. */
  describeRule(): string {
    const rule = this.rule();
    return `${rule.maxRefusals} refusals within ${Math.round(rule.windowMs / 1000)} s`;
  }

  /** Drop one requester's count (an agent suspended for its burst, or resumed by the owner). */
  forget(requesterId: string): void {
    this.refusals.delete(requesterId);
  }

  reset(): void {
    this.refusals.clear();
    this.suspensions.clear();
  }
}
