// Invariant: the database file, its WAL and its shared-memory index are only ever written
// encrypted (SQLite3 Multiple Ciphers, ChaCha20-Poly1305 pages) under a random 256-bit key;
// the key is passed as a raw hex key, so no passphrase KDF runs inside SQLite.
import { closeSync, existsSync, openSync } from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import { VaultError } from '../../core/errors.js';
import { migrate } from './migrations.js';
import { DAMAGE_HINT } from './storage-damage.js';

export type SqliteDatabase = Database.Database;

export const DATABASE_CIPHER = 'chacha20';

function applyKey(db: SqliteDatabase, key: Uint8Array): void {
  db.pragma(`cipher='${DATABASE_CIPHER}'`);
  const hex = Buffer.from(key).toString('hex');
  db.pragma(`key="x'${hex}'"`);
}

function configure(db: SqliteDatabase): void {
  db.pragma('journal_mode = WAL');
  // Level 0–2 traffic relies on WAL + NORMAL (survives a killed process, not a power cut);
  // durable transactions switch to FULL around their commit (see SqliteVaultRepository).
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 0');
  db.pragma('secure_delete = ON');
  db.pragma('temp_store = MEMORY');
  // Pages are decrypted on every cache miss; up to 256 MiB of hot pages stay decrypted in memory
  // (a ceiling, not an allocation: the cache grows only as pages are read).
  db.pragma('cache_size = -262144');
}

/** Create a new encrypted database. Refuses to touch an existing file. */
export function createEncryptedDatabase(path: string, key: Uint8Array): SqliteDatabase {
  if (existsSync(path)) throw new VaultError('VAULT_EXISTS', 'A database file already exists here.');
  // Pre-create with 0600 so SQLite (which copies the main file's mode to -wal/-shm) never widens it.
  closeSync(openSync(path, 'wx', 0o600));
  const db = new Database(path, { fileMustExist: true });
  applyKey(db, key);
  configure(db);
  migrate(db);
  return db;
}

/** Open an existing encrypted database; a missing or unreadable file is an error, never a new vault. */
export function openEncryptedDatabase(path: string, key: Uint8Array): SqliteDatabase {
  if (!existsSync(path)) {
    throw new VaultError('VAULT_CORRUPT', 'The vault header exists but its database file is missing; refusing to create a new one.');
  }
  let db: SqliteDatabase;
  try {
    db = new Database(path, { fileMustExist: true });
  } catch {
    throw new VaultError('VAULT_CORRUPT', 'The vault database cannot be opened.');
  }
  try {
    applyKey(db, key);
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    configure(db);
    migrate(db);
    return db;
  } catch (e) {
    db.close();
    if (e instanceof VaultError) throw e;
    const code = typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : '';
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') throw new VaultError('VAULT_BUSY', 'Another process holds this vault open.');
    throw new VaultError('VAULT_CORRUPT', `The vault database is damaged or does not match its key. ${DAMAGE_HINT}`, { hint: DAMAGE_HINT });
  }
}

/**
 * A second, read-only connection to an open vault's database, for a worker thread's long read
 * (full verification, backup): no migration and no pragma that writes; `query_only` on top of
 * the read-only open. The WAL lets it read one snapshot while the session's connection commits.
 */
export function openEncryptedReader(path: string, key: Uint8Array, cacheKib: number): SqliteDatabase {
  let db: SqliteDatabase;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch {
    throw new VaultError('VAULT_CORRUPT', 'The vault database cannot be opened.');
  }
  try {
    applyKey(db, key);
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    db.pragma('query_only = ON');
    db.pragma('temp_store = MEMORY');
    db.pragma(`cache_size = -${Math.max(64, Math.floor(cacheKib))}`);
    return db;
  } catch {
    db.close();
    throw new VaultError('VAULT_CORRUPT', `The vault database is damaged or does not match its key. ${DAMAGE_HINT}`, { hint: DAMAGE_HINT });
  }
}

/** Run `fn` inside one read transaction of `db` (a reader's): every read in it sees one snapshot. */
export async function inReadSnapshot<T>(db: SqliteDatabase, fn: () => T | Promise<T>): Promise<T> {
  db.exec('BEGIN');
  try {
    return await fn();
  } finally {
    if (db.inTransaction) db.exec('COMMIT');
  }
}
