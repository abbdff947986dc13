// Stable process exit codes, one per error code. The numbers live in the frozen error table
// (ERROR_TABLE in src/core/common/error-codes.ts, grouped by decade) so that a new code is one appended row
// there, not a second list here that could drift.
import { ERROR_CODES, ERROR_TABLE, type ErrorCode } from '../../core/errors.js';

function exitCodesFromTable(): Readonly<Record<ErrorCode, number>> {
  const out: Partial<Record<ErrorCode, number>> = {};
  for (const code of ERROR_CODES) out[code] = ERROR_TABLE[code].exit;
  // Every key of the table was written just above, so the partial record is complete.
  return Object.freeze(out as Record<ErrorCode, number>);
}

export const EXIT_CODES: Readonly<Record<ErrorCode, number>> = exitCodesFromTable();

/** commander's own usage errors */
export const EXIT_USAGE = 2;
