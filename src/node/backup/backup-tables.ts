// Which tables a backup carries, and how rows are paged out of them (bounded memory).
import { VaultError } from '../../core/errors.js';
import type { SqliteDatabase } from '../store/encrypted-database.js';

/** Tables carried verbatim, in the order they are written. */
export const BACKUP_TABLES = [
  'vault_state',
  // Checkpoints before events, so `backup verify` can check roots in one streaming pass.
  'checkpoints',
  'audit_events',
  'tree_hashes',
  'memories',
  'memories_fts',
  'agents',
  'hardware_keys',
  'memory_intents',
  'anchor_receipts',
  'effort_segments',
  'effort_receipts',
  'escrows',
] as const;

export type BackupTable = (typeof BACKUP_TABLES)[number];

/** Tables that only grow, exported from a sequence position in incrementals. */
export const APPEND_ONLY: Partial<Record<BackupTable, string>> = { audit_events: 'seq', tree_hashes: 'idx', checkpoints: 'size' };

const PAGE = 500;

function columnsOf(db: SqliteDatabase, table: BackupTable): string[] {
  if (table === 'memories_fts') return ['rowid', 'title', 'tags', 'metadata', 'content'];
  const cols = (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
  return table === 'memories' ? cols : ['rowid', ...cols.filter((c) => c !== 'rowid')];
}

/**
 * Rows of `table` in key order, optionally only rowid/key > `after` or given rowids.
 * Rows are streamed one at a time (statement iteration), never a page at once: memory rows
 * carry up to 1 MiB of ciphertext each, so a page of 500 could hold half a gigabyte. The
 * caller must not use the connection while iterating (the backup writer only encrypts and writes).
 */
export function* pageRows(db: SqliteDatabase, table: BackupTable, where?: { column: string; after: number } | { rowids: readonly number[] }): Generator<Record<string, unknown>> {
  const cols = columnsOf(db, table).join(', ');
  if (where && 'rowids' in where) {
    for (let i = 0; i < where.rowids.length; i += PAGE) {
      const ids = where.rowids.slice(i, i + PAGE);
      yield* db.prepare(`SELECT ${cols} FROM ${table} WHERE rowid IN (${ids.map(() => '?').join(',')})`).iterate(...ids) as Iterable<Record<string, unknown>>;
    }
    return;
  }
  const after = where ? where.after : -1;
  const key = where ? where.column : 'rowid';
  yield* db.prepare(`SELECT ${cols} FROM ${table} WHERE ${key} > ? ORDER BY ${key}`).iterate(after) as Iterable<Record<string, unknown>>;
}

export function insertRow(db: SqliteDatabase, table: BackupTable, row: Record<string, unknown>): void {
  const cols = Object.keys(row);
  if (!cols.every((c) => /^[a-z_]+$/.test(c))) throw new VaultError('INTEGRITY_FAILURE', `The backup holds an unexpected column in a row of ${table}.`);
  db.prepare(`INSERT OR REPLACE INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...cols.map((c) => row[c] as never));
}
