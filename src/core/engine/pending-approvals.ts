// Pending approval requests per requester, capped: one agent cannot flood the owner's queue
// (500 requests in 217 ms were reproduced). A slot is taken before the request is recorded and
// given back when it ends, whatever the outcome.
export const DEFAULT_MAX_PENDING_APPROVALS_PER_AGENT = 20;

export class PendingApprovals {
  private readonly counts = new Map<string, number>();

  /** Take a slot for `key`; null when `key` already holds `max`. The returned release is idempotent. */
  acquire(key: string, max: number): (() => void) | null {
    const n = this.counts.get(key) ?? 0;
    if (n >= max) return null;
    this.counts.set(key, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.counts.get(key) ?? 1) - 1;
      if (left <= 0) this.counts.delete(key);
      else this.counts.set(key, left);
    };
  }

  count(key: string): number {
    return this.counts.get(key) ?? 0;
  }
}
