// How a failed security-key step is told to the owner, and what the waiting recall is refused
// with. Pure: the CTAP2/HID driver's errors (src/node/fido2) in, a state + plain words + whether
// Retry can help out. The recall pipeline turns any failure into TOKEN_REQUIRED or
// TOKEN_MISMATCH (recall-pipeline.ts hardwareSecret), so the thrown error keeps those codes and
// carries the sentence the agent and the audit leaf get.
import { VaultError, isVaultError, type ErrorCode } from '../../core/errors.js';
import { CTAP2_STATUS } from '../../node/fido2/ctap2-status.js';
import type { TouchState } from '../../shared/key-touch.contract.js';

/** Why this process aborted the driver (null: it did not — the error came from the key or the agent). */
export type LocalAbort = 'timeout' | 'owner-cancel' | null;

export interface TouchFailure {
  readonly state: Extract<TouchState, 'failed' | 'timed-out' | 'cancelled'>;
  /** What the window shows. */
  readonly code: ErrorCode;
  readonly message: string;
  readonly canRetry: boolean;
  readonly pinRetries: number | null;
  /** What the waiting recall is refused with (and its audit leaf says). */
  readonly error: VaultError;
}

function fail(
  state: TouchFailure['state'],
  code: ErrorCode,
  message: string,
  canRetry: boolean,
  error: VaultError = new VaultError(code, message),
  pinRetries: number | null = null,
): TouchFailure {
  return { state, code, message, canRetry, pinRetries, error };
}

export function classifyTouchFailure(e: unknown, local: LocalAbort, touchTimeoutMs: number): TouchFailure {
  const seconds = Math.round(touchTimeoutMs / 1000);
  if (local === 'timeout') {
    return fail('timed-out', 'TOKEN_REQUIRED', `The security key was not touched within ${seconds} s. Press Retry to try again.`, true);
  }
  if (local === 'owner-cancel')
    return fail('cancelled', 'TOKEN_REQUIRED', 'You cancelled the security-key step; nothing was released.', false);
  if (!isVaultError(e)) {
    return fail('failed', 'TOKEN_REQUIRED', 'The security key did not answer. Check that it is plugged in, then press Retry.', true);
  }
  const reason = e.details['reason'];
  switch (e.code) {
    case 'TOKEN_MISMATCH':
      if (reason === 'clone-suspected') return fail('failed', 'TOKEN_MISMATCH', e.message, false, e);
      return fail(
        'failed',
        'TOKEN_MISMATCH',
        'This is not the security key this memory is bound to. Insert the key you registered for it, then press Retry.',
        true,
        e,
      );
    case 'TOKEN_REQUIRED':
      // Revoked or never registered: no key the owner can insert will help.
      if (reason === 'revoked' || reason === 'not-registered') return fail('failed', 'TOKEN_REQUIRED', e.message, false, e);
      return fail(
        'failed',
        'TOKEN_REQUIRED',
        'No security key was found. Insert the key registered for this memory, then press Retry.',
        true,
        e,
      );
    case 'FIDO2_ERROR':
      return fido2Failure(e, reason, seconds);
    default:
      return fail('failed', 'TOKEN_REQUIRED', e.message, true, new VaultError('TOKEN_REQUIRED', e.message));
  }
}

function fido2Failure(e: VaultError, reason: unknown, seconds: number): TouchFailure {
  const status = e.details['ctapStatus'];
  const refused = (message: string): VaultError => new VaultError('TOKEN_REQUIRED', message);
  if (reason === 'pin-invalid') {
    const left = typeof e.details['pinRetries'] === 'number' ? e.details['pinRetries'] : null;
    const message =
      left === null ? 'Wrong PIN. Press Retry to enter it again.' : `Wrong PIN: ${left} attempt(s) left before the key locks.`;
    return fail('failed', 'FIDO2_ERROR', message, left !== 0, refused('The security key refused the PIN.'), left);
  }
  if (status === CTAP2_STATUS.CTAP2_ERR_PIN_BLOCKED || status === CTAP2_STATUS.CTAP2_ERR_PIN_AUTH_BLOCKED) {
    const message = 'The security key has blocked its PIN. Unplug and re-insert it (or reset it) before trying again.';
    return fail('failed', 'FIDO2_ERROR', message, status === CTAP2_STATUS.CTAP2_ERR_PIN_AUTH_BLOCKED, refused(message));
  }
  if (status === CTAP2_STATUS.CTAP2_ERR_USER_ACTION_TIMEOUT) {
    const message = `The security key was not touched in time (it gave up waiting after about ${seconds} s). Press Retry to try again.`;
    return fail('timed-out', 'FIDO2_ERROR', message, true, refused('The security key was not touched in time.'));
  }
  if (reason === 'cancelled' || status === CTAP2_STATUS.CTAP2_ERR_KEEPALIVE_CANCEL) {
    return fail(
      'cancelled',
      'FIDO2_ERROR',
      'The security-key request was cancelled.',
      true,
      refused('The security-key request was cancelled.'),
    );
  }
  if (reason === 'hid-unavailable') return fail('failed', 'FIDO2_ERROR', e.message, false, refused(e.message));
  return fail('failed', 'FIDO2_ERROR', e.message, true, refused(e.message));
}
