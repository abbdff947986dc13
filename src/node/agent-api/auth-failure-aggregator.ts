// Failed agent logins (and throttled requests), aggregated: one refused `agent.auth` (or
// `agent.throttle`) leaf per source per interval, with
// the count (issue 14 item 1). A leaf per failure would let anyone who can reach the socket
// grow the log without bound; none would hide a token-guessing run from the owner.
// Invariant: every counted failure ends up in exactly one leaf — at the end of its interval, when
// the next failure from that source opens a new interval, or when the server closes. The leaf
// carries the source, the count, the interval and the codes; never a presented token.
// "Source" is the transport the attempt came over: a Unix socket gives no peer identity Node can
// read, and a per-connection or per-token key would let one client multiply the leaves.
import type { ErrorCode } from '../../core/errors.js';
import type { AuditEventInput, AuditEventKind } from '../../core/events/audit-event.js';
import { systemClock, type Clock } from '../../core/ports/clock.port.js';

export const AUTH_FAILURE_INTERVAL_MS = 60_000;

interface Window {
  readonly start: number;
  count: number;
  readonly codes: Set<ErrorCode>;
}

/** Which leaf an aggregator writes: failed logins by default; the same counting serves throttled requests. */
export interface AggregatedRefusal {
  readonly kind: Extract<AuditEventKind, 'agent.auth' | 'agent.throttle'>;
  readonly actorId: string;
  readonly reason: string;
}

export const FAILED_LOGINS: AggregatedRefusal = {
  kind: 'agent.auth',
  actorId: 'agent-login',
  reason: 'Failed agent logins in this interval (aggregated).',
};

/**
 * Requests the agent socket refused for its rate and resource limits (RATE_LIMITED): a refusal is
 * a leaf (issue 14 item 1), but one leaf per throttled call would let a flooding agent grow the
 * log as fast as it can send, so they are counted the same way.
 */
export const THROTTLED_REQUESTS: AggregatedRefusal = {
  kind: 'agent.throttle',
  actorId: 'agent-throttle',
  reason: "Requests refused by the agent socket's rate and resource limits in this interval (aggregated).",
};

export class AuthFailureAggregator {
  private readonly windows = new Map<string, Window>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly record: (event: AuditEventInput) => Promise<unknown>,
    private readonly clock: Clock = systemClock,
    readonly intervalMs: number = AUTH_FAILURE_INTERVAL_MS,
    private readonly leaf: AggregatedRefusal = FAILED_LOGINS,
  ) {}

  /** Count one failed login from `source`. */
  note(source: string, code: ErrorCode): void {
    const now = this.clock.now();
    const open = this.windows.get(source);
    if (open && now - open.start >= this.intervalMs) this.emit(source, open, now);
    const w = this.windows.get(source) ?? { start: now, count: 0, codes: new Set<ErrorCode>() };
    w.count++;
    w.codes.add(code);
    this.windows.set(source, w);
  }

  /** Failures counted and not yet in a leaf (per source). */
  pending(source: string): number {
    return this.windows.get(source)?.count ?? 0;
  }

  /** Write the leaves of every interval that has ended. */
  flushDue(): Promise<void> {
    const now = this.clock.now();
    const writes: Promise<unknown>[] = [];
    for (const [source, w] of [...this.windows]) if (now - w.start >= this.intervalMs) writes.push(this.emit(source, w, now));
    return Promise.all(writes).then(() => undefined);
  }

  /** Write every open interval now (server closing). */
  flushAll(): Promise<void> {
    const now = this.clock.now();
    return Promise.all([...this.windows].map(([source, w]) => this.emit(source, w, now))).then(() => undefined);
  }

  /** Flush ended intervals on a timer (unref'd: it never keeps the process alive). */
  start(): void {
    this.timer ??= setInterval(() => void this.flushDue(), this.intervalMs).unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flushAll();
  }

  private emit(source: string, w: Window, now: number): Promise<unknown> {
    this.windows.delete(source);
    const event: AuditEventInput = {
      kind: this.leaf.kind,
      actor: { type: 'system', id: this.leaf.actorId },
      outcome: 'refused',
      code: w.codes.has('UNAUTHORIZED') ? 'UNAUTHORIZED' : ([...w.codes].sort()[0] ?? 'UNAUTHORIZED'),
      reason: this.leaf.reason,
      details: {
        source,
        count: w.count,
        from: new Date(w.start).toISOString(),
        to: new Date(Math.max(now, w.start)).toISOString(),
        codes: [...w.codes].sort(),
      },
    };
    // A failed append (full disk) must not take the agent server down: the refused logins were
    // already refused; only their count is lost, and the next interval counts afresh.
    return this.record(event).catch(() => undefined);
  }
}
