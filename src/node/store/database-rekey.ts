// Re-encrypting the SQLite file under a new database key (SQLite3 Multiple Ciphers `PRAGMA rekey`).
// Invariant: rekey runs in rollback-journal mode (SQLite3MC refuses it in WAL mode), so the
// rewrite of every page is one journaled transaction: a crash part-way leaves a hot journal that
// the next open rolls back under the old key — the file is always wholly under one of the keys.
import type { SqliteDatabase } from './encrypted-database.js';

export function rekeyDatabase(db: SqliteDatabase, newKey: Uint8Array): void {
  // Fold the WAL into the main file first: leaving WAL mode needs it empty, and pages still in
  // the WAL would otherwise be encrypted under the old key only.
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.pragma('journal_mode = DELETE');
  const hex = Buffer.from(newKey).toString('hex');
  const previous = db.pragma('synchronous', { simple: true });
  db.pragma('synchronous = FULL');
  try {
    db.pragma(`rekey="x'${hex}'"`);
  } finally {
    db.pragma(`synchronous = ${typeof previous === 'number' ? previous : 1}`);
    db.pragma('journal_mode = WAL');
  }
}
