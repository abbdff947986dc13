// Stable process exit codes, one per error code, grouped by decade so scripts can test ranges:
// 2x input, 3x credentials/vault state, 4x policy refusals, 5x integrity/storage, 6x hardware.
import type { ErrorCode } from '../../core/errors.js';

export const EXIT_CODES: Readonly<Record<ErrorCode, number>> = {
  INVALID_INPUT: 20,
  NOT_FOUND: 21,
  BAD_CREDENTIALS: 30,
  VAULT_NOT_FOUND: 31,
  VAULT_EXISTS: 32,
  VAULT_LOCKED: 33,
  VAULT_BUSY: 34,
  UNAUTHORIZED: 35,
  RATE_LIMITED: 36,
  AGENT_SUSPENDED: 37,
  SERVER_UNTRUSTED: 38,
  LOCKDOWN: 40,
  TOMBSTONED: 41,
  FORBIDDEN: 42,
  APPROVAL_REQUIRED: 43,
  APPROVAL_DENIED: 44,
  APPROVAL_EXPIRED: 45,
  APPROVAL_CANCELLED: 46,
  COOLDOWN: 47,
  BOUNDARY_DENIED: 48,
  APPROVAL_MISMATCH: 49,
  INTEGRITY_FAILURE: 50,
  VAULT_CORRUPT: 51,
  AUDIT_FAILURE: 52,
  STORAGE_FULL: 53,
  HARDWARE_REQUIRED: 60,
  TOKEN_REQUIRED: 61,
  TOKEN_MISMATCH: 62,
  FIDO2_ERROR: 63,
  TPM_UNAVAILABLE: 64,
  TPM_POLICY_MISMATCH: 65,
  TPM_AUTH_FAILED: 66,
  TPM_LOCKOUT: 67,
  INTERNAL: 70,
};

/** commander's own usage errors */
export const EXIT_USAGE = 2;
