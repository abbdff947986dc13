// A key rotation's view of the `memories` table: paging through the memories whose DEK is
// wrapped, the level-5 token bindings, and writing a memory's rewrapped DEK (and, for a full
// rotation, its re-encrypted content). Writers are called only from inside the rotation's
// `engine.runAudited` work, so every rewritten row commits together with the rotation marker
// and the `key.rotation` leaf (rotate-profile-key.ts).
import { z } from 'zod';
import type { SqliteDatabase } from './encrypted-database.js';
import { parseRow } from './row-parse.js';

const rowSchema = z.object({
  rowid: z.number().int(),
  id: z.string(),
  level: z.number().int(),
  profile_id: z.string(),
  format_version: z.number().int(),
  content_hash: z.instanceof(Buffer),
  wrapped_dek: z.instanceof(Buffer),
  hw_salt: z.instanceof(Buffer).nullable(),
  hw_credential: z.string().nullable(),
  ciphertext: z.instanceof(Buffer).nullable().optional(),
});
export type WrappedMemoryRow = z.infer<typeof rowSchema>;

const bindingSchema = z.object({ id: z.string(), hw_salt: z.instanceof(Buffer).nullable(), hw_credential: z.string().nullable() });
export type Level5Binding = z.infer<typeof bindingSchema>;

const countSchema = z.object({ n: z.number().int() });

export interface MemoryKeyRows {
  count(): number;
  /** The next page of wrapped memories after `afterRowid`, in rowid order. */
  page(afterRowid: number): WrappedMemoryRow[];
  write(rowid: number, wrappedDek: Buffer, ciphertext: Buffer | null): void;
}

export interface MemoryKeysTable {
  /** Level-5 memories with a wrapped DEK and the token binding their DEK is wrapped with. */
  level5Bindings(): Level5Binding[];
  /** Paged reader/writer; `full` also reads and writes the content ciphertext. */
  rows(full: boolean, pageSize: number): MemoryKeyRows;
}

export function memoryKeysTable(db: SqliteDatabase): MemoryKeysTable {
  const bindings = db.prepare('SELECT id, hw_salt, hw_credential FROM memories WHERE level = 5 AND wrapped_dek IS NOT NULL');
  const count = db.prepare('SELECT count(*) AS n FROM memories WHERE wrapped_dek IS NOT NULL');
  return {
    level5Bindings: () => bindings.all().map((r) => parseRow(bindingSchema, r, 'A memory row')),
    rows: (full, pageSize) => {
      if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError('pageSize must be a positive integer');
      const columns = `rowid, id, level, profile_id, format_version, content_hash, wrapped_dek, hw_salt, hw_credential${full ? ', ciphertext' : ''}`;
      const select = db.prepare(`SELECT ${columns} FROM memories WHERE wrapped_dek IS NOT NULL AND rowid > ? ORDER BY rowid LIMIT ?`);
      const update = db.prepare(
        full
          ? 'UPDATE memories SET wrapped_dek = ?, ciphertext = ? WHERE rowid = ?'
          : 'UPDATE memories SET wrapped_dek = ? WHERE rowid = ?',
      );
      return {
        count: () => parseRow(countSchema, count.get(), 'A count').n,
        page: (after) => select.all(after, pageSize).map((raw) => parseRow(rowSchema, raw, 'A memory row')),
        write: (rowid, wrappedDek, ciphertext) => {
          if (full) update.run(wrappedDek, ciphertext, rowid);
          else update.run(wrappedDek, rowid);
        },
      };
    },
  };
}
