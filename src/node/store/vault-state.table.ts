// vault_state: the vault's small named settings and records (signer, lockdown, dead-man,
// witness, integrations …), one text value per key. This is the ONE place its upsert is
// written; features that hold only a database handle use readVaultState / writeVaultState, and
// everything else reaches the table through the storage port (getState / setState).
import type { SqliteDatabase } from './encrypted-database.js';
import { RowReader } from './row-reader.js';
import { Command, Query } from './typed-statement.js';

const SELECT_SQL = 'SELECT value FROM vault_state WHERE key = ?';
const UPSERT_SQL = 'INSERT INTO vault_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value';

const valueOf = (row: unknown): string => RowReader.of(row, 'vault_state').text('value');

export class VaultStateTable {
  private readonly select: Query<[string], string>;
  private readonly upsert: Command<[string, string]>;

  constructor(db: SqliteDatabase) {
    this.select = new Query(db, SELECT_SQL, valueOf);
    this.upsert = new Command(db, UPSERT_SQL);
  }

  getState(key: string): string | undefined {
    return this.select.get(key);
  }

  /** Callers run this inside a transaction (the port's rule for every write). */
  setState(key: string, value: string): void {
    this.upsert.run(key, value);
  }
}

/** One key's value on a bare connection (staged or restored vaults, rotation); undefined when unset. */
export function readVaultState(db: SqliteDatabase, key: string): string | undefined {
  return new VaultStateTable(db).getState(key);
}

/** Set one key on a bare connection; the caller owns the transaction around it. */
export function writeVaultState(db: SqliteDatabase, key: string, value: string): void {
  new VaultStateTable(db).setState(key, value);
}
