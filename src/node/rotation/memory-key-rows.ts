// Store layer for a key rotation: paging through the memories whose DEK is wrapped, and writing
// a memory's rewrapped DEK (and, for a full rotation, its re-encrypted content). Writers are
// called only from inside the rotation's `engine.runAudited` work, so every rewritten row
// commits together with the rotation marker and the `key.rotation` leaf.
import { z } from 'zod';
import { VaultError } from '../../core/errors.js';
import type { SqliteDatabase } from '../store/encrypted-database.js';

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

export interface MemoryKeyRows {
  count(): number;
  /** The next page of wrapped memories after `afterRowid`, in rowid order. */
  page(afterRowid: number): WrappedMemoryRow[];
  write(rowid: number, wrappedDek: Buffer, ciphertext: Buffer | null): void;
}

export function memoryKeyRows(db: SqliteDatabase, full: boolean, pageSize: number): MemoryKeyRows {
  const columns = `rowid, id, level, profile_id, format_version, content_hash, wrapped_dek, hw_salt, hw_credential${full ? ', ciphertext' : ''}`;
  const select = db.prepare(`SELECT ${columns} FROM memories WHERE wrapped_dek IS NOT NULL AND rowid > ? ORDER BY rowid LIMIT ${pageSize}`);
  const update = db.prepare(full ? 'UPDATE memories SET wrapped_dek = ?, ciphertext = ? WHERE rowid = ?' : 'UPDATE memories SET wrapped_dek = ? WHERE rowid = ?');
  return {
    count: () => z.object({ n: z.number().int() }).parse(db.prepare('SELECT count(*) AS n FROM memories WHERE wrapped_dek IS NOT NULL').get()).n,
    page: (after) =>
      select.all(after).map((raw) => {
        const r = rowSchema.safeParse(raw);
        if (!r.success) throw new VaultError('VAULT_CORRUPT', 'A memory row is malformed.');
        return r.data;
      }),
    write: (rowid, wrappedDek, ciphertext) => {
      if (full) update.run(wrappedDek, ciphertext, rowid);
      else update.run(wrappedDek, rowid);
    },
  };
}
