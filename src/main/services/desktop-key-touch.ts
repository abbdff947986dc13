// The desktop's security-key step for level-5 releases: the owner's "insert and touch your key"
// dialog is driven from here, over the real CTAP2/HID driver (src/node/fido2) in main.
// - `binding` adds the window's status and PIN prompt to the surface's FIDO2 transport;
// - `wrap` puts the session's level-5 port behind attempts the owner can follow and steer: every
//   state (insert, PIN, touch now, processing, done, failed) is pushed to the window, Cancel
//   aborts the driver (which sends CTAPHID_CANCEL and waits for the key to go idle), a touch
//   deadline ends a wait nobody answers, and after a failure that another try can fix the recall
//   waits for the owner's Retry or Close (bounded by `retryWindowMs`).
// Invariants: attempts run one at a time (one physical key, one touch: a touch must never be
// claimed by another request); no secret, PIN or driver reason text leaves this file; a PIN is
// handed to the driver once and dropped.
import { randomUUID } from 'node:crypto';
import { VaultError } from '../../core/errors.js';
import type { HardwareKeyPort, HardwareSecretRequest, HardwareSecretResult } from '../../core/ports/hardware-key.port.js';
import type { Fido2Status } from '../../node/fido2/fido2-status.js';
import type { HardwareKeyBindingOptions } from '../../node/hardware/vault-hardware-key.js';
import type { MemorySummary } from '../../core/model/memory.js';
import type { TouchAttemptDto } from '../../shared/key-touch.contract.js';
import { PRIVATE_TITLE_LEVEL } from '../shell/approval-notification-text.js';
import { classifyTouchFailure, type LocalAbort, type TouchFailure } from './key-touch-outcome.js';

export interface KeyTouchOptions {
  /** How long one try waits for the key (insert, PIN, touch) before it times out. */
  readonly touchTimeoutMs?: number;
  /** How long a failed try waits for the owner's Retry or Close before giving up. */
  readonly retryWindowMs?: number;
  /** How long an ended attempt stays listed (so a window opened late still sees the outcome). */
  readonly keepEndedMs?: number;
}

/** Who asked, for what: known to the backend when the owner approves or reveals. */
export type TouchContext = Pick<TouchAttemptDto, 'purpose' | 'requester' | 'memory'>;

/**
 * The context of the touch an approval or a reveal is about to ask for. The title follows the
 * notification rule (level ≥ 3 only when the owner opted in): the dialog may be on a shared screen.
 */
export function touchContextFor(
  purpose: TouchContext['purpose'],
  requester: string,
  memory: Pick<MemorySummary, 'shortId' | 'level' | 'title'>,
  showSealedTitles: boolean,
): TouchContext {
  const title = memory.level < PRIVATE_TITLE_LEVEL || showSealedTitles ? memory.title : null;
  return { purpose, requester, memory: { shortId: memory.shortId, level: memory.level, title } };
}

const DEFAULTS = { touchTimeoutMs: 30_000, retryWindowMs: 120_000, keepEndedMs: 15_000 };
const EXPECTATION_TTL_MS = 60_000;
const ENDED = new Set<TouchAttemptDto['state']>(['succeeded', 'failed', 'timed-out', 'cancelled']);

type Choice = 'retry' | 'dismiss';

interface Attempt {
  dto: TouchAttemptDto;
  controller: AbortController;
  localAbort: LocalAbort;
  pin: ((pin: string | undefined) => void) | null;
  choice: ((c: Choice) => void) | null;
}

interface Expectation {
  readonly context: TouchContext;
  /** The memory's title, matched against the driver's reason ("Recall of "<title>""). */
  readonly title: string;
  readonly at: number;
}

export class KeyTouchFlow {
  private readonly opts: typeof DEFAULTS;
  private readonly attempts = new Map<string, Attempt>();
  private active: Attempt | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private expected: Expectation[] = [];
  private readonly listeners = new Set<(attempt: TouchAttemptDto) => void>();

  constructor(options: KeyTouchOptions = {}) {
    this.opts = { ...DEFAULTS, ...options };
  }

  /** The surface's FIDO2 binding with this window's status and PIN prompt added. */
  binding(base: HardwareKeyBindingOptions): HardwareKeyBindingOptions {
    return {
      ...base,
      onStatus: (status) => {
        this.onDriverStatus(status);
        base.onStatus?.(status);
      },
      pin: () => this.askPin(),
    };
  }

  /** The session's level-5 port, with each deriveSecret run as an attempt the window follows. */
  wrap(inner: HardwareKeyPort): HardwareKeyPort {
    return {
      enrolledCredentials: () => inner.enrolledCredentials(),
      deriveSecret: (request) => this.serialised(() => this.run(inner, request)),
    };
  }

  /** The next attempt (whose reason names `title`) is for this request: set when the owner approves or reveals. */
  expect(context: TouchContext, title: string): void {
    const now = Date.now();
    this.expected = [...this.expected.filter((e) => now - e.at < EXPECTATION_TTL_MS), { context, title, at: now }];
  }

  onStatus(listener: (attempt: TouchAttemptDto) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  current(): TouchAttemptDto[] {
    return [...this.attempts.values()].map((a) => a.dto).toSorted((a, b) => a.startedAt - b.startedAt);
  }

  cancel(attemptId: string): TouchAttemptDto {
    const a = this.require(attemptId);
    if (a.choice) a.choice('dismiss');
    else if (!ENDED.has(a.dto.state)) this.abort(a, 'owner-cancel');
    return a.dto;
  }

  submitPin(attemptId: string, pin: string): TouchAttemptDto {
    const a = this.require(attemptId);
    if (!a.pin) throw new VaultError('INVALID_INPUT', 'The security key is not waiting for a PIN.');
    const give = a.pin;
    a.pin = null;
    this.update(a, { state: 'processing' });
    give(pin);
    return a.dto;
  }

  retry(attemptId: string): TouchAttemptDto {
    const a = this.require(attemptId);
    if (!a.choice || !a.dto.canRetry) throw new VaultError('INVALID_INPUT', 'This security-key step cannot be retried.');
    a.choice('retry');
    return a.dto;
  }

  dismiss(attemptId: string): TouchAttemptDto {
    const a = this.require(attemptId);
    if (a.choice) a.choice('dismiss');
    else if (!ENDED.has(a.dto.state)) this.abort(a, 'owner-cancel');
    else this.forget(a);
    return a.dto;
  }

  /** Lock: every running attempt is cancelled (its recall is refused) and the list is emptied. */
  endAll(): void {
    for (const a of this.attempts.values()) {
      a.choice?.('dismiss');
      if (!ENDED.has(a.dto.state)) this.abort(a, 'owner-cancel');
    }
    this.expected = [];
  }

  // ---- internals -------------------------------------------------------------------------
  private serialised<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async run(inner: HardwareKeyPort, request: HardwareSecretRequest): Promise<HardwareSecretResult> {
    const context = this.takeExpected(request.reason);
    const attempt: Attempt = {
      dto: {
        attemptId: randomUUID(),
        ...context,
        state: 'processing',
        keyName: null,
        startedAt: Date.now(),
        deadline: null,
        pinRetries: null,
        error: null,
        canRetry: false,
      },
      controller: new AbortController(),
      localAbort: null,
      pin: null,
      choice: null,
    };
    this.attempts.set(attempt.dto.attemptId, attempt);
    this.active = attempt;
    try {
      for (;;) {
        const outcome = await this.tryOnce(inner, request, attempt);
        if (outcome.ok) return outcome.result;
        const f = outcome.failure;
        const canRetry = f.canRetry && request.signal?.aborted !== true;
        // The choice is installed before the failure is announced: a Retry pressed at once is heard.
        const choice = canRetry ? this.ownerChoice(attempt, request.signal) : null;
        this.update(attempt, {
          state: f.state,
          deadline: null,
          error: { code: f.code, message: f.message },
          canRetry,
          ...(f.pinRetries !== null ? { pinRetries: f.pinRetries } : {}),
        });
        if (!choice || (await choice) === 'dismiss') throw f.error;
      }
    } finally {
      this.active = null;
      this.scheduleForget(attempt);
    }
  }

  private async tryOnce(
    inner: HardwareKeyPort,
    request: HardwareSecretRequest,
    attempt: Attempt,
  ): Promise<{ ok: true; result: HardwareSecretResult } | { ok: false; failure: TouchFailure }> {
    attempt.controller = new AbortController();
    attempt.localAbort = null;
    const timer = setTimeout(() => this.abort(attempt, 'timeout'), this.opts.touchTimeoutMs);
    this.update(attempt, { state: 'processing', deadline: Date.now() + this.opts.touchTimeoutMs, error: null, canRetry: false });
    const signal = request.signal ? AbortSignal.any([request.signal, attempt.controller.signal]) : attempt.controller.signal;
    try {
      const result = await inner.deriveSecret({ ...request, signal });
      this.update(attempt, { state: 'succeeded', deadline: null });
      return { ok: true, result };
    } catch (e) {
      return { ok: false, failure: classifyTouchFailure(e, attempt.localAbort, this.opts.touchTimeoutMs) };
    } finally {
      clearTimeout(timer);
      attempt.pin?.(undefined);
      attempt.pin = null;
    }
  }

  /** After a failure: the owner's Retry or Close, or Close by itself once the window passes or the requester leaves. */
  private ownerChoice(attempt: Attempt, signal: AbortSignal | undefined): Promise<Choice> {
    return new Promise<Choice>((resolve) => {
      const done = (c: Choice): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        attempt.choice = null;
        if (c === 'dismiss') this.update(attempt, { canRetry: false });
        resolve(c);
      };
      const onAbort = (): void => done('dismiss');
      const timer = setTimeout(onAbort, this.opts.retryWindowMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      attempt.choice = done;
    });
  }

  private askPin(): Promise<string | undefined> {
    const a = this.active;
    if (!a || a.controller.signal.aborted) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      a.pin = resolve;
      this.update(a, { state: 'enter-pin' });
    });
  }

  private onDriverStatus(status: Fido2Status): void {
    const a = this.active;
    if (!a || ENDED.has(a.dto.state)) return;
    switch (status.kind) {
      case 'insert-key':
        return this.update(a, { state: 'insert-key' });
      case 'enter-pin':
        return this.update(a, { state: 'enter-pin', keyName: status.keyName });
      case 'touch-key':
        return this.update(a, { state: 'touch-key' });
      case 'processing':
        return this.update(a, { state: 'processing' });
    }
  }

  private abort(a: Attempt, why: Exclude<LocalAbort, null>): void {
    if (a.controller.signal.aborted) return;
    a.localAbort = why;
    a.controller.abort();
    a.pin?.(undefined);
    a.pin = null;
  }

  private takeExpected(reason: string): TouchContext {
    const now = Date.now();
    this.expected = this.expected.filter((e) => now - e.at < EXPECTATION_TTL_MS);
    const i = Math.max(
      0,
      this.expected.findIndex((e) => reason.includes(`"${e.title}"`)),
    );
    const found = this.expected[i];
    if (!found) return { purpose: 'other', requester: null, memory: null };
    this.expected.splice(i, 1);
    return found.context;
  }

  private update(a: Attempt, patch: Partial<TouchAttemptDto>): void {
    a.dto = { ...a.dto, ...patch };
    for (const l of this.listeners) l(a.dto);
  }

  private scheduleForget(a: Attempt): void {
    setTimeout(() => this.forget(a), this.opts.keepEndedMs).unref();
  }

  private forget(a: Attempt): void {
    if (this.attempts.get(a.dto.attemptId) === a && ENDED.has(a.dto.state) && !a.choice) this.attempts.delete(a.dto.attemptId);
  }

  private require(attemptId: string): Attempt {
    const a = this.attempts.get(attemptId);
    if (!a) throw new VaultError('NOT_FOUND', 'No such security-key step.');
    return a;
  }
}
