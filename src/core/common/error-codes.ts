// The frozen error-code table: pure data, in the common layer so the IPC contracts (src/shared,
// which may import only src/core/common) and the renderer read the same codes as the core, the
// sockets and the CLI. src/core/errors.ts re-exports everything here next to VaultError.

/** One row of the public error contract: the JSON-RPC `error.code` and the CLI's process exit status. */
export interface ErrorCodeRow {
  /** JSON-RPC 2.0 §5.1 "Server error" range (-32000 to -32099), one number per code. */
  readonly rpc: number;
  /** Process exit status, grouped by decade so scripts can test ranges: 2x input, 3x credentials /
   *  vault state, 4x policy refusals, 5x integrity / storage, 6x hardware, 70 internal. */
  readonly exit: number;
}

/**
 * The frozen error-code table: both numbers of every code are public protocol (agents and
 * scripts key on them), so they are written out, never derived from the order of a list.
 * Invariant: a number, once shipped, never changes and is never reused. To add a code, append a
 * row with the next free JSON-RPC number and an unused exit code in its decade, and the same row
 * to the table in docs/AGENT-API.md §4 (tests/agent-api/error-code-table.test.ts checks both).
 */
export const ERROR_TABLE = {
  LOCKDOWN: { rpc: -32000, exit: 40 },
  TOMBSTONED: { rpc: -32001, exit: 41 },
  NOT_FOUND: { rpc: -32002, exit: 21 },
  FORBIDDEN: { rpc: -32003, exit: 42 },
  APPROVAL_REQUIRED: { rpc: -32004, exit: 43 },
  APPROVAL_DENIED: { rpc: -32005, exit: 44 },
  APPROVAL_EXPIRED: { rpc: -32006, exit: 45 },
  APPROVAL_CANCELLED: { rpc: -32007, exit: 46 },
  COOLDOWN: { rpc: -32008, exit: 47 },
  TOKEN_REQUIRED: { rpc: -32009, exit: 61 },
  TOKEN_MISMATCH: { rpc: -32010, exit: 62 },
  HARDWARE_REQUIRED: { rpc: -32011, exit: 60 },
  BOUNDARY_DENIED: { rpc: -32012, exit: 48 },
  INTEGRITY_FAILURE: { rpc: -32013, exit: 50 },
  BAD_CREDENTIALS: { rpc: -32014, exit: 30 },
  VAULT_NOT_FOUND: { rpc: -32015, exit: 31 },
  VAULT_EXISTS: { rpc: -32016, exit: 32 },
  VAULT_CORRUPT: { rpc: -32017, exit: 51 },
  VAULT_LOCKED: { rpc: -32018, exit: 33 },
  VAULT_BUSY: { rpc: -32019, exit: 34 },
  INVALID_INPUT: { rpc: -32020, exit: 20 },
  AUDIT_FAILURE: { rpc: -32021, exit: 52 },
  STORAGE_FULL: { rpc: -32022, exit: 53 },
  RATE_LIMITED: { rpc: -32023, exit: 36 },
  UNAUTHORIZED: { rpc: -32024, exit: 35 },
  TPM_UNAVAILABLE: { rpc: -32025, exit: 64 },
  TPM_POLICY_MISMATCH: { rpc: -32026, exit: 65 },
  TPM_AUTH_FAILED: { rpc: -32027, exit: 66 },
  TPM_LOCKOUT: { rpc: -32028, exit: 67 },
  FIDO2_ERROR: { rpc: -32029, exit: 63 },
  INTERNAL: { rpc: -32030, exit: 70 },
  APPROVAL_MISMATCH: { rpc: -32031, exit: 49 },
  AGENT_SUSPENDED: { rpc: -32032, exit: 37 },
  SERVER_UNTRUSTED: { rpc: -32033, exit: 38 },
  // Issue 19: memory.use named a command that is not on the agent's allowlist (or does not fit its pattern).
  COMMAND_NOT_ALLOWED: { rpc: -32034, exit: 39 },
  // Issue 19: a reference (id prefix or title) that matches more than one memory in its namespace.
  REFERENCE_AMBIGUOUS: { rpc: -32035, exit: 22 },
  // Issue 19: a secret too short (< 4 bytes), or unusable in a child's environment, to be masked in its output.
  SECRET_UNMASKABLE: { rpc: -32036, exit: 23 },
  // Issue 17: a long owner operation (audit verify, backup, export) was cancelled by its caller; nothing was changed.
  CANCELLED: { rpc: -32037, exit: 24 },
} as const satisfies Readonly<Record<string, ErrorCodeRow>>;

export type ErrorCode = keyof typeof ERROR_TABLE;

/** The keys of a table in its order (non-integer keys keep insertion order, ECMA-262 OrdinaryOwnPropertyKeys). */
function keysInOrder<K extends string>(table: Readonly<Record<K, unknown>>): readonly [K, ...K[]] {
  const keys = Object.keys(table).filter((k): k is K => Object.hasOwn(table, k));
  const [first, ...rest] = keys;
  if (first === undefined) throw new Error('the error table is empty');
  return [first, ...rest];
}

/** The codes in table order, as the non-empty tuple z.enum wants. */
export const ERROR_CODES = keysInOrder(ERROR_TABLE);

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
