// Retry schedule for anchors: exponential from 5 s, capped at one hour. Deterministic (no jitter):
// one vault talks to one anchor, so there is no herd to spread out, and tests can reason about it.
export const ANCHOR_BACKOFF = { firstMs: 5_000, maxMs: 60 * 60_000 } as const;

/** Delay before attempt number `attempts + 1`, after `attempts` failures (attempts ≥ 1). */
export function anchorRetryDelayMs(attempts: number, policy: { firstMs: number; maxMs: number } = ANCHOR_BACKOFF): number {
  const n = Math.max(1, Math.floor(attempts));
  return Math.min(policy.maxMs, policy.firstMs * 2 ** Math.min(n - 1, 30));
}
