// Copying a vault table by table: which tables a backup carries, paging rows out of a live vault
// (bounded memory) and writing them into a restore's staging database. Store layer: the backup
// writer reads through `VaultCopySource`; a restore writes only into a NEW staging database no
// engine has opened (`StagingDatabase`), whose leaf is recorded at its first unlock, after
// verification, before it replaces anything — so none of this runs on `engine.runAudited`.
import { z } from 'zod';
import { VaultError } from '../../core/errors.js';
import { createEncryptedDatabase, type SqliteDatabase } from './encrypted-database.js';
import { parseRow } from './row-parse.js';

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
  // The per-agent command allowlist (migration 8): without it a restore leaves agents able to run nothing.
  'agent_commands',
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
const columnSchema = z.object({ name: z.string() });
const rowidSchema = z.object({ rowid: z.number().int() });
/** A row as SQLite returns it: column name → value (blobs as Buffers). */
const anyRowSchema = z.record(z.string(), z.unknown());

function columnsOf(db: SqliteDatabase, table: BackupTable): string[] {
  if (table === 'memories_fts') return ['rowid', 'title', 'tags', 'metadata', 'content'];
  const cols = db
    .prepare(`PRAGMA table_info(${table})`)
    .all()
    .map((c) => parseRow(columnSchema, c, 'A column description').name);
  return table === 'memories' ? cols : ['rowid', ...cols.filter((c) => c !== 'rowid')];
}

/**
 * Rows of `table` in key order, optionally only rowid/key > `after` or given rowids.
 * Rows are streamed one at a time (statement iteration), never a page at once: memory rows
 * carry up to 1 MiB of ciphertext each, so a page of 500 could hold half a gigabyte. The
 * caller must not use the connection while iterating (the backup writer only encrypts and writes).
 */
export function* pageRows(
  db: SqliteDatabase,
  table: BackupTable,
  where?: { column: string; after: number } | { rowids: readonly number[] },
): Generator<Record<string, unknown>> {
  const cols = columnsOf(db, table).join(', ');
  if (where && 'rowids' in where) {
    for (let i = 0; i < where.rowids.length; i += PAGE) {
      const ids = where.rowids.slice(i, i + PAGE);
      for (const r of db.prepare(`SELECT ${cols} FROM ${table} WHERE rowid IN (${ids.map(() => '?').join(',')})`).iterate(...ids))
        yield parseRow(anyRowSchema, r, `A row of ${table}`);
    }
    return;
  }
  const after = where ? where.after : -1;
  const key = where ? where.column : 'rowid';
  for (const r of db.prepare(`SELECT ${cols} FROM ${table} WHERE ${key} > ? ORDER BY ${key}`).iterate(after))
    yield parseRow(anyRowSchema, r, `A row of ${table}`);
}

function insertRow(db: SqliteDatabase, table: BackupTable, row: Record<string, unknown>): void {
  const cols = Object.keys(row);
  if (!cols.every((c) => /^[a-z_]+$/.test(c)))
    throw new VaultError('INTEGRITY_FAILURE', `The backup holds an unexpected column in a row of ${table}.`);
  db.prepare(`INSERT OR REPLACE INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(
    ...cols.map((c) => row[c]),
  );
}

/** A live vault's rows, for the backup writer. */
export interface VaultCopySource {
  rows(table: BackupTable, where?: { column: string; after: number } | { rowids: readonly number[] }): Generator<Record<string, unknown>>;
  rowidOf(memoryId: string): number | undefined;
  /** Run `fn` with the page cache shrunk to `kib` (a backup reads every page once), then restore it. */
  withPageCache<T>(kib: number, fn: () => T): T;
}

export function vaultCopySource(db: SqliteDatabase): VaultCopySource {
  const rowid = db.prepare('SELECT rowid FROM memories WHERE id = ?');
  return {
    rows: (table, where) => pageRows(db, table, where),
    rowidOf: (memoryId) => {
      const raw: unknown = rowid.get(memoryId);
      return raw === undefined ? undefined : parseRow(rowidSchema, raw, 'A memory row').rowid;
    },
    withPageCache: (kib, fn) => {
      const cacheSize = db.pragma('cache_size', { simple: true });
      db.pragma(`cache_size = -${kib}`);
      try {
        return fn();
      } finally {
        db.pragma(`cache_size = ${typeof cacheSize === 'number' ? cacheSize : -65536}`);
      }
    },
  };
}

/** A restore's staging database: new, under a fresh random key, written in one transaction per backup file. */
export class StagingDatabase {
  private readonly rowid;
  private readonly deleteFts;
  private readonly deleteMemory;

  private constructor(private readonly db: SqliteDatabase) {
    this.rowid = db.prepare('SELECT rowid FROM memories WHERE id = ?');
    this.deleteFts = db.prepare('DELETE FROM memories_fts WHERE rowid = ?');
    this.deleteMemory = db.prepare('DELETE FROM memories WHERE rowid = ?');
  }

  static create(path: string, key: Uint8Array): StagingDatabase {
    const db = createEncryptedDatabase(path, key);
    // Rows are written once, in order: a small cache keeps RSS bounded (dirty pages spill to the WAL).
    db.pragma('cache_size = -4096');
    return new StagingDatabase(db);
  }

  begin(): void {
    this.db.exec('BEGIN');
  }

  commit(): void {
    this.db.exec('COMMIT');
  }

  rollbackIfOpen(): void {
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
  }

  /** Memories an incremental says were touched: their rows (and search rows) come again or are gone. */
  deleteMemories(ids: readonly string[]): void {
    for (const id of ids) {
      const raw: unknown = this.rowid.get(id);
      if (raw === undefined) continue;
      const { rowid } = parseRow(rowidSchema, raw, 'A memory row');
      this.deleteFts.run(rowid);
      this.deleteMemory.run(rowid);
    }
  }

  insertRow(table: BackupTable, row: Record<string, unknown>): void {
    insertRow(this.db, table, row);
  }

  /** Fold the WAL into the file and close: the staged vault is then opened like any other. */
  close(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }

  /** Close without folding (a failed restore: the staging directory is removed). */
  abandon(): void {
    this.db.close();
  }
}
