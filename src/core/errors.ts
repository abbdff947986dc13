// Failures are data with a stable code; bugs are loud. Every refusal the vault makes carries
// one of these codes and a human sentence that never contains plaintext or key material.

export const ERROR_CODES = [
  'LOCKDOWN',
  'TOMBSTONED',
  'NOT_FOUND',
  'FORBIDDEN',
  'APPROVAL_REQUIRED',
  'APPROVAL_DENIED',
  'APPROVAL_EXPIRED',
  'APPROVAL_CANCELLED',
  'COOLDOWN',
  'TOKEN_REQUIRED',
  'TOKEN_MISMATCH',
  'HARDWARE_REQUIRED',
  'BOUNDARY_DENIED',
  'INTEGRITY_FAILURE',
  'BAD_CREDENTIALS',
  'VAULT_NOT_FOUND',
  'VAULT_EXISTS',
  'VAULT_CORRUPT',
  'VAULT_LOCKED',
  'VAULT_BUSY',
  'INVALID_INPUT',
  'AUDIT_FAILURE',
  'STORAGE_FULL',
  'RATE_LIMITED',
  'UNAUTHORIZED',
  'TPM_UNAVAILABLE',
  'TPM_POLICY_MISMATCH',
  'TPM_AUTH_FAILED',
  'TPM_LOCKOUT',
  'FIDO2_ERROR',
  'INTERNAL',
  // Appended only: the JSON-RPC code of each entry is derived from its position.
  'APPROVAL_MISMATCH',
  'AGENT_SUSPENDED',
  'SERVER_UNTRUSTED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** Extra, non-secret facts a caller may act on (retry time, request id, first bad index). */
export type ErrorDetails = Readonly<Record<string, string | number | boolean | null>>;

export class VaultError extends Error {
  override readonly name = 'VaultError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
  }

  toJSON(): { code: ErrorCode; message: string; details: ErrorDetails } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export function isVaultError(e: unknown): e is VaultError {
  return e instanceof VaultError;
}
