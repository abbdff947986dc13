// Counters the owner and operators can read (vault.health, `status --json`): recalls by level
// and outcome, approvals by outcome, and recall latency percentiles over a sliding window.
// Invariant: only codes, levels and durations are counted — never ids, titles or content.
import type { ErrorCode } from '../errors.js';
import type { Level } from '../levels.js';

const WINDOW = 2048;

export interface MetricsSnapshot {
  readonly recalls: Readonly<Record<string, number>>;
  readonly stores: Readonly<Record<string, number>>;
  readonly approvals: Readonly<Record<string, number>>;
  readonly recallLatencyMs: { readonly count: number; readonly p50: number; readonly p99: number };
}

export class VaultMetrics {
  private readonly recalls = new Map<string, number>();
  private readonly stores = new Map<string, number>();
  private readonly approvals = new Map<string, number>();
  private readonly latencies = new Float64Array(WINDOW);
  private latencyCount = 0;

  private static bump(map: Map<string, number>, key: string): void {
    map.set(key, (map.get(key) ?? 0) + 1);
  }

  /** Latency is recorded for delivered recalls only (refusals are counted, not timed). */
  recall(level: Level | null, outcome: 'ok' | ErrorCode, ms?: number): void {
    VaultMetrics.bump(this.recalls, `level${level ?? '?'}.${outcome}`);
    if (ms === undefined) return;
    this.latencies[this.latencyCount % WINDOW] = ms;
    this.latencyCount++;
  }

  store(level: Level): void {
    VaultMetrics.bump(this.stores, `level${level}`);
  }

  approval(outcome: 'requested' | 'approved' | 'denied' | 'expired' | 'cancelled' | 'unavailable'): void {
    VaultMetrics.bump(this.approvals, outcome);
  }

  snapshot(): MetricsSnapshot {
    const n = Math.min(this.latencyCount, WINDOW);
    const sorted = Array.from(this.latencies.subarray(0, n)).sort((a, b) => a - b);
    const pick = (q: number) => (n === 0 ? 0 : Math.round((sorted[Math.min(n - 1, Math.floor(q * n))] ?? 0) * 1000) / 1000);
    return {
      recalls: Object.fromEntries(this.recalls),
      stores: Object.fromEntries(this.stores),
      approvals: Object.fromEntries(this.approvals),
      recallLatencyMs: { count: this.latencyCount, p50: pick(0.5), p99: pick(0.99) },
    };
  }
}
