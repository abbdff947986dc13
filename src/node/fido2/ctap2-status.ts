// CTAP2 status codes (CTAP 2.1 §8.2 "Status codes"): the first byte of every CTAPHID_CBOR
// response. Named here so errors carry a readable, stable name next to the number.
import { VaultError } from '../../core/errors.js';

export const CTAP2_STATUS = {
  OK: 0x00,
  CTAP1_ERR_INVALID_COMMAND: 0x01,
  CTAP1_ERR_INVALID_PARAMETER: 0x02,
  CTAP1_ERR_INVALID_LENGTH: 0x03,
  CTAP1_ERR_INVALID_SEQ: 0x04,
  CTAP1_ERR_TIMEOUT: 0x05,
  CTAP1_ERR_CHANNEL_BUSY: 0x06,
  CTAP2_ERR_CBOR_UNEXPECTED_TYPE: 0x11,
  CTAP2_ERR_INVALID_CBOR: 0x12,
  CTAP2_ERR_MISSING_PARAMETER: 0x14,
  CTAP2_ERR_LIMIT_EXCEEDED: 0x15,
  CTAP2_ERR_UNSUPPORTED_EXTENSION: 0x16,
  CTAP2_ERR_CREDENTIAL_EXCLUDED: 0x19,
  CTAP2_ERR_PROCESSING: 0x21,
  CTAP2_ERR_INVALID_CREDENTIAL: 0x22,
  CTAP2_ERR_USER_ACTION_PENDING: 0x23,
  CTAP2_ERR_OPERATION_PENDING: 0x24,
  CTAP2_ERR_NO_OPERATIONS: 0x25,
  CTAP2_ERR_UNSUPPORTED_ALGORITHM: 0x26,
  CTAP2_ERR_OPERATION_DENIED: 0x27,
  CTAP2_ERR_KEY_STORE_FULL: 0x28,
  CTAP2_ERR_UNSUPPORTED_OPTION: 0x2b,
  CTAP2_ERR_INVALID_OPTION: 0x2c,
  CTAP2_ERR_KEEPALIVE_CANCEL: 0x2d,
  CTAP2_ERR_NO_CREDENTIALS: 0x2e,
  CTAP2_ERR_USER_ACTION_TIMEOUT: 0x2f,
  CTAP2_ERR_NOT_ALLOWED: 0x30,
  CTAP2_ERR_PIN_INVALID: 0x31,
  CTAP2_ERR_PIN_BLOCKED: 0x32,
  CTAP2_ERR_PIN_AUTH_INVALID: 0x33,
  CTAP2_ERR_PIN_AUTH_BLOCKED: 0x34,
  CTAP2_ERR_PIN_NOT_SET: 0x35,
  CTAP2_ERR_PUAT_REQUIRED: 0x36,
  CTAP2_ERR_PIN_POLICY_VIOLATION: 0x37,
  CTAP2_ERR_REQUEST_TOO_LARGE: 0x39,
  CTAP2_ERR_ACTION_TIMEOUT: 0x3a,
  CTAP2_ERR_UP_REQUIRED: 0x3b,
  CTAP2_ERR_UV_BLOCKED: 0x3c,
  CTAP2_ERR_INTEGRITY_FAILURE: 0x3d,
  CTAP2_ERR_INVALID_SUBCOMMAND: 0x3e,
  CTAP2_ERR_UV_INVALID: 0x3f,
  CTAP2_ERR_UNAUTHORIZED_PERMISSION: 0x40,
  CTAP1_ERR_OTHER: 0x7f,
} as const;

const NAMES = new Map<number, string>(Object.entries(CTAP2_STATUS).map(([name, code]) => [code, name]));

export function ctapStatusName(code: number): string {
  return NAMES.get(code) ?? `CTAP_STATUS_0x${code.toString(16).padStart(2, '0')}`;
}

/**
 * What the owner reads for a status (a sentence they can act on) and, where callers branch on it,
 * the stable `details.reason`; the raw status stays in details for logs and callers.
 */
const OUTCOMES: Partial<Record<number, { readonly hint: string; readonly reason?: string }>> = {
  [CTAP2_STATUS.CTAP2_ERR_PIN_INVALID]: { hint: 'The PIN is wrong.', reason: 'pin-invalid' },
  [CTAP2_STATUS.CTAP2_ERR_PIN_BLOCKED]: { hint: 'The key is locked after too many wrong PINs; it must be reset.', reason: 'pin-blocked' },
  [CTAP2_STATUS.CTAP2_ERR_PIN_AUTH_BLOCKED]: {
    hint: 'Too many wrong PINs; unplug and reinsert the key, then try again.',
    reason: 'pin-blocked',
  },
  [CTAP2_STATUS.CTAP2_ERR_PIN_NOT_SET]: { hint: 'The key has no PIN set.' },
  [CTAP2_STATUS.CTAP2_ERR_PUAT_REQUIRED]: { hint: 'This key has a PIN; enter it to continue.', reason: 'pin-required' },
  [CTAP2_STATUS.CTAP2_ERR_PIN_POLICY_VIOLATION]: { hint: "The new PIN does not meet the key's PIN policy." },
  [CTAP2_STATUS.CTAP2_ERR_OPERATION_DENIED]: { hint: 'The key refused the operation.' },
  [CTAP2_STATUS.CTAP2_ERR_USER_ACTION_TIMEOUT]: { hint: 'The key was not touched in time.', reason: 'timeout' },
  [CTAP2_STATUS.CTAP2_ERR_KEEPALIVE_CANCEL]: { hint: 'The request to the hardware key was cancelled.', reason: 'cancelled' },
  [CTAP2_STATUS.CTAP2_ERR_NO_CREDENTIALS]: { hint: 'This key does not hold the requested credential.' },
};

export function ctapStatusError(code: number, command: string): VaultError {
  const name = ctapStatusName(code);
  const outcome = OUTCOMES[code];
  const hint = outcome?.hint ?? `The hardware key refused ${command} (${name}).`;
  return new VaultError('FIDO2_ERROR', hint, {
    reason: outcome?.reason ?? 'ctap2',
    ctapStatus: code,
    ctapError: name,
    command,
  });
}
