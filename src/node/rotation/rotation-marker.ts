// The database's half of a key rotation: which rotation's DEK rewrap has committed.
// Invariant: the marker is written in the same transaction as the rewrapped DEKs and the
// resealed audit signer, so "marker = rotation id" ⇔ "the database content is under the new
// profile key". Unlock reads it to decide whether to finish or roll back a pending rotation.
import type { SqliteDatabase } from '../store/encrypted-database.js';

export const ROTATION_MARKER_STATE = 'rotation.committed';

export function readRotationMarker(db: SqliteDatabase): string | null {
  const row = db.prepare('SELECT value FROM vault_state WHERE key = ?').get(ROTATION_MARKER_STATE) as { value: string } | undefined;
  return row?.value ?? null;
}

export function writeRotationMarker(db: SqliteDatabase, rotationId: string): void {
  db.prepare('INSERT INTO vault_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(ROTATION_MARKER_STATE, rotationId);
}
