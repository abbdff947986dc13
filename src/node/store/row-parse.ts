// Rows read back from the database are untrusted (a damaged page, a planted backup): every
// table module parses them with a schema instead of casting, and a row that does not parse is
// VAULT_CORRUPT naming the table, never a crash deeper in.
import type { z } from 'zod';
import { VaultError } from '../../core/errors.js';

export function parseRow<T>(schema: z.ZodType<T>, raw: unknown, what: string): T {
  const r = schema.safeParse(raw);
  if (!r.success) throw new VaultError('VAULT_CORRUPT', `${what} is malformed.`);
  return r.data;
}
