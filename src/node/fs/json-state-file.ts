// Reading back a JSON state file the vault wrote (header, checkpoint record, counters, mirrors):
// read, JSON.parse and zod-validate in one place. Invariant: a caller gets a value that passed
// its schema, or a reason — never a half-checked object. The reasons are data, so each caller
// keeps the error code it has always used (VAULT_NOT_FOUND for a missing header, INTEGRITY_FAILURE
// for a damaged checkpoint record, "count one failure" for a damaged counter …).
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { VaultError, type ErrorCode } from '../../core/errors.js';

/** Why a state file gave no value: absent, not readable as text, not JSON, or not the schema. */
export type JsonStateFailure = 'missing' | 'unreadable' | 'not-json' | 'invalid';

export type JsonStateRead<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: JsonStateFailure };

export function readJsonState<S extends z.ZodType>(path: string, schema: S): JsonStateRead<z.output<S>> {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (e) {
    const missing = typeof e === 'object' && e !== null && 'code' in e && e.code === 'ENOENT';
    return { ok: false, reason: missing ? 'missing' : 'unreadable' };
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, reason: 'not-json' };
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, reason: 'invalid' };
}

/**
 * The value, or a VaultError with `code` (VAULT_CORRUPT unless the caller has its own) naming
 * `what` and the reason. The file's content never appears in the error.
 */
export function requireJsonState<S extends z.ZodType>(
  path: string,
  schema: S,
  what: string,
  code: ErrorCode = 'VAULT_CORRUPT',
): z.output<S> {
  const r = readJsonState(path, schema);
  if (r.ok) return r.value;
  const why: Record<JsonStateFailure, string> = {
    missing: 'is missing',
    unreadable: 'cannot be read',
    'not-json': 'is not valid JSON',
    invalid: 'does not match the expected format',
  };
  throw new VaultError(code, `The ${what} ${why[r.reason]}.`, { reason: r.reason });
}
