// Lockdown: while on, every recall is refused. The owner or an anomaly (a burst of refusals
// from one requester) trips it; lifting it requires proof of the owner's full unlock.
import type { VaultRepository } from '../ports/vault-repository.port.js';

export interface LockdownState {
  readonly on: boolean;
  readonly since: number | null;
  readonly by: string | null;
  readonly reason: string | null;
}

export interface AnomalyRule {
  /** Refusals from one requester within `windowMs` that trip lockdown. */
  readonly maxRefusals: number;
  readonly windowMs: number;
}

export const DEFAULT_ANOMALY_RULE: AnomalyRule = { maxRefusals: 10, windowMs: 60_000 };

const STATE_KEY = 'lockdown';
const OFF: LockdownState = { on: false, since: null, by: null, reason: null };

export function readLockdown(repo: VaultRepository): LockdownState {
  const raw = repo.getState(STATE_KEY);
  if (raw === undefined) return OFF;
  const parsed: unknown = JSON.parse(raw);
  if (typeof parsed === 'object' && parsed !== null && 'on' in parsed && parsed.on === true) {
    const p = parsed as Partial<LockdownState>;
    return { on: true, since: p.since ?? null, by: p.by ?? null, reason: p.reason ?? null };
  }
  return OFF;
}

export function writeLockdown(repo: VaultRepository, state: LockdownState): void {
  repo.setState(STATE_KEY, JSON.stringify(state));
}

/** Sliding-window refusal counter per requester. */
export class AnomalyDetector {
  private readonly refusals = new Map<string, number[]>();

  constructor(private readonly rule: AnomalyRule) {}

  /** Record a refusal; true when the requester has crossed the threshold. */
  record(requesterId: string, at: number): boolean {
    const cutoff = at - this.rule.windowMs;
    const times = (this.refusals.get(requesterId) ?? []).filter((t) => t > cutoff);
    times.push(at);
    this.refusals.set(requesterId, times);
    return times.length >= this.rule.maxRefusals;
  }

  reset(): void {
    this.refusals.clear();
  }
}
