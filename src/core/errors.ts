// Failures are data with a stable code; bugs are loud. Every refusal the vault makes carries
// one of these codes and a human sentence that never contains plaintext or key material.

// The table itself (codes, JSON-RPC numbers, exit statuses) lives in the pure common layer;
// append new rows there (src/core/common/error-codes.ts).
import type { ErrorCode } from './common/error-codes.js';

export { ERROR_CODES, ERROR_TABLE, isErrorCode, type ErrorCode, type ErrorCodeRow } from './common/error-codes.js';

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
