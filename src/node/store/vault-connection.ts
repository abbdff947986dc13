// Operations on the vault's connection itself that no transaction can hold: re-encrypting the
// file under a new database key (a key rotation's step 3) and folding the WAL into the main file.
// Feature code gets these here instead of the connection, so it never issues a PRAGMA itself.
import { rekeyDatabase } from './database-rekey.js';
import type { SqliteDatabase } from './encrypted-database.js';

export interface VaultConnection {
  /**
   * PRAGMA rekey (journaled: all pages or none), then `afterRekey` — the repository's cached
   * memory rows hold DEKs a rotation rewrapped beside it, so the session drops them here.
   */
  rekey(newKey: Uint8Array): void;
  /** Fold the WAL into the main file (benches measure the file without it). */
  checkpointWal(): void;
}

export function vaultConnection(db: SqliteDatabase, afterRekey: () => void = () => undefined): VaultConnection {
  return {
    rekey: (newKey) => {
      rekeyDatabase(db, newKey);
      afterRekey();
    },
    checkpointWal: () => {
      db.pragma('wal_checkpoint(TRUNCATE)');
    },
  };
}
