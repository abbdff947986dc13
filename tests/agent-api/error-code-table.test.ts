// The error-code table is public protocol: agents read `error.code`, scripts read the exit status.
// These tests fail when a shipped number changes, when two codes share a number, or when the table
// in docs/AGENT-API.md §4 and ERROR_TABLE (src/core/common/error-codes.ts) disagree or miss a code.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../src/cli/io/exit-codes.js';
import { ERROR_CODES, ERROR_TABLE, isErrorCode } from '../../src/core/errors.js';
import { rpcCodeFor } from '../../src/node/agent-api/agent-protocol.js';

// The numbers shipped before the table was frozen (written out, not computed): they never change.
// New codes are not listed here; the docs comparison below covers them.
const SHIPPED: Readonly<Record<string, readonly [rpc: number, exit: number]>> = {
  LOCKDOWN: [-32000, 40],
  TOMBSTONED: [-32001, 41],
  NOT_FOUND: [-32002, 21],
  FORBIDDEN: [-32003, 42],
  APPROVAL_REQUIRED: [-32004, 43],
  APPROVAL_DENIED: [-32005, 44],
  APPROVAL_EXPIRED: [-32006, 45],
  APPROVAL_CANCELLED: [-32007, 46],
  COOLDOWN: [-32008, 47],
  TOKEN_REQUIRED: [-32009, 61],
  TOKEN_MISMATCH: [-32010, 62],
  HARDWARE_REQUIRED: [-32011, 60],
  BOUNDARY_DENIED: [-32012, 48],
  INTEGRITY_FAILURE: [-32013, 50],
  BAD_CREDENTIALS: [-32014, 30],
  VAULT_NOT_FOUND: [-32015, 31],
  VAULT_EXISTS: [-32016, 32],
  VAULT_CORRUPT: [-32017, 51],
  VAULT_LOCKED: [-32018, 33],
  VAULT_BUSY: [-32019, 34],
  INVALID_INPUT: [-32020, 20],
  AUDIT_FAILURE: [-32021, 52],
  STORAGE_FULL: [-32022, 53],
  RATE_LIMITED: [-32023, 36],
  UNAUTHORIZED: [-32024, 35],
  TPM_UNAVAILABLE: [-32025, 64],
  TPM_POLICY_MISMATCH: [-32026, 65],
  TPM_AUTH_FAILED: [-32027, 66],
  TPM_LOCKOUT: [-32028, 67],
  FIDO2_ERROR: [-32029, 63],
  INTERNAL: [-32030, 70],
  APPROVAL_MISMATCH: [-32031, 49],
  AGENT_SUSPENDED: [-32032, 37],
  SERVER_UNTRUSTED: [-32033, 38],
};

interface DocRow {
  readonly code: string;
  readonly rpc: number;
  readonly exit: number;
}

/** The rows of the `data.code | JSON-RPC code | CLI exit code | meaning` table in docs/AGENT-API.md. */
function docsErrorTable(): DocRow[] {
  const lines = readFileSync(new URL('../../docs/AGENT-API.md', import.meta.url), 'utf8').split('\n');
  const header = lines.findIndex((l) => /^\| `data\.code` \| JSON-RPC `code` \| CLI exit code \| meaning \|$/.test(l.trim()));
  expect(header, 'docs/AGENT-API.md §4 error table header').toBeGreaterThanOrEqual(0);
  const rows: DocRow[] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const m = /^\| `([A-Z0-9_]+)` \| (-\d+) \| (\d+) \|/.exec(line);
    expect(m, `malformed error-table row: ${line}`).not.toBeNull();
    if (m) rows.push({ code: m[1] ?? '', rpc: Number(m[2]), exit: Number(m[3]) });
  }
  return rows;
}

describe('frozen error-code table', () => {
  it('keeps every shipped JSON-RPC and exit number', () => {
    for (const [code, [rpc, exit]] of Object.entries(SHIPPED)) {
      expect(isErrorCode(code), `${code} still exists`).toBe(true);
      if (!isErrorCode(code)) continue;
      expect(ERROR_TABLE[code], code).toEqual({ rpc, exit });
      expect(rpcCodeFor(code), `rpcCodeFor(${code})`).toBe(rpc);
      expect(EXIT_CODES[code], `EXIT_CODES.${code}`).toBe(exit);
    }
  });

  it('gives every code its own JSON-RPC number in the server-error range and its own exit status', () => {
    const rpcs = ERROR_CODES.map((c) => ERROR_TABLE[c].rpc);
    const exits = ERROR_CODES.map((c) => ERROR_TABLE[c].exit);
    expect(new Set(rpcs).size).toBe(rpcs.length);
    expect(new Set(exits).size).toBe(exits.length);
    for (const rpc of rpcs) expect(rpc >= -32099 && rpc <= -32000, `${rpc} in -32099..-32000`).toBe(true);
    // 0 is success, 1 a crash, 2 a usage error; 126+ belong to the shell.
    for (const exit of exits) expect(exit >= 3 && exit <= 125, `exit ${exit} in 3..125`).toBe(true);
  });

  it('matches docs/AGENT-API.md row for row, with no code missing on either side', () => {
    const rows = docsErrorTable();
    expect(rows.length).toBeGreaterThanOrEqual(Object.keys(SHIPPED).length);
    expect(new Set(rows.map((r) => r.code)).size, 'a code listed twice in the docs').toBe(rows.length);
    expect(rows.map((r) => r.code).sort()).toEqual([...ERROR_CODES].sort());
    for (const row of rows) {
      if (!isErrorCode(row.code)) continue;
      expect({ code: row.code, ...ERROR_TABLE[row.code] }, `docs row for ${row.code}`).toEqual(row);
    }
  });
});
