// Server-wide backoff for owner logins. An OPAQUE guess is checked by the guesser itself (the
// client's finishLogin), so the server cannot see a wrong guess: it only sees a login that
// starts and never finishes. Every start therefore counts as a failure until it succeeds, and
// starts are spaced by 2^(n-1) × base (capped) after n unfinished ones — across connections
// and reconnects, since the state lives in the server, not the connection.
import { VaultError } from '../../core/errors.js';

export interface BackoffPolicy {
  readonly baseMs: number;
  readonly capMs: number;
}

export const DEFAULT_LOGIN_BACKOFF: BackoffPolicy = { baseMs: 250, capMs: 30_000 };

export class LoginBackoff {
  private unfinished = 0;
  private nextAllowedAt = 0;

  constructor(
    private readonly now: () => number,
    private readonly policy: BackoffPolicy = DEFAULT_LOGIN_BACKOFF,
  ) {}

  /** Logins started since the last success. */
  get failures(): number {
    return this.unfinished;
  }

  /** Reserve one attempt now, or throw RATE_LIMITED with retryAfterMs. */
  begin(): void {
    const t = this.now();
    const wait = this.nextAllowedAt - t;
    if (wait > 0)
      throw new VaultError('RATE_LIMITED', 'Too many owner login attempts; wait before trying again.', { retryAfterMs: Math.ceil(wait) });
    this.unfinished++;
    this.nextAllowedAt = t + Math.min(this.policy.baseMs * 2 ** (this.unfinished - 1), this.policy.capMs);
  }

  succeeded(): void {
    this.unfinished = 0;
    this.nextAllowedAt = 0;
  }
}
