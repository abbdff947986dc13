// The database's half of a key rotation: which rotation's DEK rewrap has committed.
// Invariant: the marker is written (rotate-profile-key.ts, through the audited write handle) in
// the same transaction as the rewrapped DEKs, the resealed audit signer and the `key.rotation`
// leaf, so "marker = rotation id" ⇔ "the database content is under the new
// profile key". Unlock reads it to decide whether to finish or roll back a pending rotation.
import type { SqliteDatabase } from '../store/encrypted-database.js';
import { readVaultState } from '../store/vault-state.table.js';

export const ROTATION_MARKER_STATE = 'rotation.committed';

export function readRotationMarker(db: SqliteDatabase): string | null {
  // Read on the bare connection: unlock decides before any session (or repository) exists.
  return readVaultState(db, ROTATION_MARKER_STATE) ?? null;
}
