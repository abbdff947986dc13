// Unlock-time completion of an interrupted key rotation.
// Invariant: exactly one of {old, new} profile keys ends up in the header's main slot, and it is
// the one the database content is under (the rotation marker decides); the database is then
// brought under that key's database key (a half-done rekey is rolled back by SQLite on open,
// and redone here if needed). The key that lost is zeroed.
import { zeroize } from '../../core/crypto/keys.js';
import { VaultError } from '../../core/errors.js';
import { unwrapDatabaseKey } from '../../core/keys/profile-keys.js';
import { openEncryptedDatabase, type SqliteDatabase } from '../store/encrypted-database.js';
import { writeVaultHeader, type PendingRotation, type ProfileRecord, type VaultHeader } from '../vault/vault-header.js';
import type { VaultPaths } from '../vault/vault-paths.js';
import { rekeyDatabase } from '../store/database-rekey.js';
import { readRotationMarker } from './rotation-marker.js';

export interface ResolvedRotation {
  readonly header: VaultHeader;
  readonly profile: ProfileRecord;
  readonly profileKey: Buffer;
  readonly db: SqliteDatabase;
  readonly outcome: 'finished' | 'rolled-back';
  readonly rotation: PendingRotation;
}

function tryOpen(path: string, key: Buffer): SqliteDatabase | null {
  try {
    return openEncryptedDatabase(path, key);
  } catch (e) {
    if (e instanceof VaultError && e.code === 'VAULT_CORRUPT') return null;
    throw e;
  }
}

/**
 * `newKey` is null when the caller cannot unwrap the pending key (recovery-key unlock): then
 * only a roll-back is possible, and a rotation that already committed is reported.
 */
export function resolvePendingRotation(args: {
  paths: VaultPaths;
  header: VaultHeader;
  profile: ProfileRecord;
  oldKey: Buffer;
  newKey: Buffer | null;
}): ResolvedRotation {
  const { paths, header, profile, oldKey, newKey } = args;
  const rotation = profile.rotation;
  if (!rotation) throw new Error('resolvePendingRotation without a pending rotation');
  const oldDbKey = unwrapDatabaseKey(oldKey, profile.wrappedDatabaseKey, header.vaultId);
  const newDbKey = newKey ? unwrapDatabaseKey(newKey, rotation.wrappedDatabaseKey, header.vaultId) : null;
  try {
    // Old key first: a hot journal from an interrupted rekey must be rolled back under it.
    let db = tryOpen(paths.database, oldDbKey);
    let underNewDbKey = false;
    if (!db && newDbKey) {
      db = tryOpen(paths.database, newDbKey);
      underNewDbKey = db !== null;
    }
    if (!db) throw new VaultError('VAULT_CORRUPT', 'The vault database opens with neither the current nor the pending database key.');
    const committed = readRotationMarker(db) === rotation.id;
    if (committed) {
      if (!newKey || !newDbKey) {
        db.close();
        throw new VaultError(
          'VAULT_CORRUPT',
          'A key rotation was interrupted after the database changed; unlock once with the vault passphrase (not a recovery key) to finish it.',
        );
      }
      if (!underNewDbKey) rekeyDatabase(db, newDbKey);
      const { rotation: _done, recovery: _dropped, ...rest } = profile;
      const promoted: ProfileRecord = {
        ...rest,
        wrappedProfileKey: rotation.wrappedProfileKey,
        wrappedDatabaseKey: rotation.wrappedDatabaseKey,
      };
      const next: VaultHeader = { ...header, profiles: [promoted, ...header.profiles.slice(1)] };
      writeVaultHeader(paths.header, next, { exclusive: false });
      zeroize(oldKey);
      return { header: next, profile: promoted, profileKey: newKey, db, outcome: 'finished', rotation };
    }
    if (underNewDbKey) {
      db.close();
      throw new VaultError('VAULT_CORRUPT', 'The vault database is under the new key but its content is not: refusing to guess.');
    }
    const { rotation: _abandoned, ...kept } = profile;
    const next: VaultHeader = { ...header, profiles: [kept, ...header.profiles.slice(1)] };
    writeVaultHeader(paths.header, next, { exclusive: false });
    if (newKey) zeroize(newKey);
    return { header: next, profile: kept, profileKey: oldKey, db, outcome: 'rolled-back', rotation };
  } finally {
    zeroize(oldDbKey, newDbKey);
  }
}
