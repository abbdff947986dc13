// Naming a damaged database. SQLite (here SQLite3 Multiple Ciphers, whose pages fail their
// Poly1305 tag when a byte changes) reports a bad page as SQLITE_CORRUPT ("database disk image
// is malformed") or SQLITE_NOTADB ("file is not a database") at whatever read first touches it.
// Invariant: such a failure leaves every layer as VAULT_CORRUPT with a sentence and a hint,
// never as INTERNAL with a stack; the SQLite message itself is not shown (it names nothing useful).
import { VaultError } from '../../core/errors.js';

export const DAMAGE_HINT =
  'Run `memory-vault audit verify` to see what is affected, and restore from a backup (`memory-vault backup restore`) if it cannot be read.';

const DAMAGE_CODES = new Set([
  'SQLITE_CORRUPT',
  'SQLITE_NOTADB',
  'SQLITE_CORRUPT_VTAB',
  'SQLITE_CORRUPT_SEQUENCE',
  'SQLITE_CORRUPT_INDEX',
  'SQLITE_IOERR_SHORT_READ',
]);

function sqliteCode(e: unknown): string {
  return typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : '';
}

/** True for the driver's errors that mean "the file's contents are damaged". */
export function isStorageDamage(e: unknown): boolean {
  const code = sqliteCode(e);
  if (DAMAGE_CODES.has(code) || code.startsWith('SQLITE_CORRUPT')) return true;
  // FTS5 reports a damaged index as a plain SQLITE_ERROR with this text.
  const message = e instanceof Error ? e.message : '';
  return /database disk image is malformed|file is not a database|fts5: corrupt/i.test(message);
}

/** VAULT_CORRUPT for a damaged database, with what was being done; null for anything else. */
export function storageDamageError(e: unknown, doing = 'reading the vault database'): VaultError | null {
  if (!isStorageDamage(e)) return null;
  return new VaultError('VAULT_CORRUPT', `The vault database is damaged: a page could not be read while ${doing}. ${DAMAGE_HINT}`, {
    sqlite: sqliteCode(e) || 'SQLITE_CORRUPT',
    hint: DAMAGE_HINT,
  });
}
