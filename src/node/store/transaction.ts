// Invariant: every write through the storage port runs inside `run`, which is one SQLite
// transaction (nested calls become savepoints), and a scope that fails leaves neither its rows
// nor its in-memory effects (row cache, audit size) behind. Durable scopes commit with
// synchronous=FULL (DESIGN §4: owner/security events and level ≥ 3 recalls are fsynced).
import { VaultError } from '../../core/errors.js';
import type { Durability } from '../../core/ports/vault-repository.port.js';
import type { SqliteDatabase } from './encrypted-database.js';
import { storageDamageError } from './storage-damage.js';
import { Command } from './typed-statement.js';

/** A table module that keeps in-memory state which must follow the transaction's fate. */
export interface TransactionParticipant {
  /** Called as a scope opens; the returned function undoes this scope's in-memory effects on rollback. */
  onScopeOpen(): () => void;
}

export class SqliteTransactions {
  private depth = 0;
  private readonly participants: TransactionParticipant[] = [];
  private readonly begin: Command<[]>;
  private readonly commit: Command<[]>;
  private readonly rollback: Command<[]>;
  private readonly savepoint: Command<[]>;
  private readonly release: Command<[]>;
  private readonly rollbackTo: Command<[]>;

  constructor(private readonly db: SqliteDatabase) {
    // Hand-driven BEGIN/SAVEPOINT with statements prepared once: better-sqlite3's
    // db.transaction() wrapper costs more than the work itself at group-commit rates.
    this.begin = new Command(db, 'BEGIN IMMEDIATE');
    this.commit = new Command(db, 'COMMIT');
    this.rollback = new Command(db, 'ROLLBACK');
    this.savepoint = new Command(db, 'SAVEPOINT op');
    this.release = new Command(db, 'RELEASE op');
    this.rollbackTo = new Command(db, 'ROLLBACK TO op');
  }

  enlist(p: TransactionParticipant): void {
    this.participants.push(p);
  }

  /** False when the storage engine aborted the enclosing transaction (e.g. disk full). */
  inTransaction(): boolean {
    return this.db.inTransaction;
  }

  run<T>(fn: () => T, durability: Durability): T {
    const undo = this.participants.map((p) => p.onScopeOpen());
    const undoAll = () => undo.forEach((u) => u());
    if (this.depth > 0) {
      this.savepoint.run();
      this.depth++;
      try {
        const result = fn();
        this.release.run();
        return result;
      } catch (e) {
        undoAll();
        // SQLITE_FULL and friends may have rolled back the whole transaction already.
        if (this.db.inTransaction) {
          this.rollbackTo.run();
          this.release.run();
        }
        throw mapStorageError(e);
      } finally {
        this.depth--;
      }
    }
    const durable = durability === 'full';
    if (durable) this.db.pragma('synchronous = FULL');
    this.depth++;
    try {
      this.begin.run();
      const result = fn();
      this.commit.run();
      return result;
    } catch (e) {
      if (this.db.inTransaction) this.rollback.run();
      undoAll();
      throw mapStorageError(e);
    } finally {
      this.depth--;
      if (durable) this.db.pragma('synchronous = NORMAL');
    }
  }
}

/** The driver's failure as the vault's error code; a VaultError thrown inside `fn` passes through. */
export function mapStorageError(e: unknown): unknown {
  if (e instanceof VaultError) return e;
  const code = typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : '';
  if (code === 'SQLITE_FULL') return new VaultError('STORAGE_FULL', 'The disk is full; nothing was written.');
  const damage = storageDamageError(e, 'writing to the vault database');
  if (damage) return damage;
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return new VaultError('VAULT_BUSY', 'The vault database is busy.');
  if (code.startsWith('SQLITE_')) return new VaultError('AUDIT_FAILURE', 'The database refused the write; nothing was released.');
  return e;
}
