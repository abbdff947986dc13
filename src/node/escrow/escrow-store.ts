// The `escrows` table: metadata and per-share fingerprints of each escrow (never a share or a
// recovery key). Store layer: writers are called only from inside `engine.runAudited` work, so
// each row change commits with its `escrow.*` leaf (escrow-service.ts, rotate-profile-key.ts).
import { z } from 'zod';
import { escrowDataSchema, type EscrowData } from '../../core/escrow/escrow-record.js';
import { VaultError } from '../../core/errors.js';
import type { SqliteDatabase } from '../store/encrypted-database.js';

const rowSchema = z.object({
  id: z.string(),
  label: z.string(),
  threshold: z.number().int(),
  shares: z.number().int(),
  data: z.string(),
  created_at: z.number(),
  deleted_at: z.number().nullable(),
});

export type EscrowRow = z.infer<typeof rowSchema>;

function parseRow(raw: unknown): EscrowRow {
  const r = rowSchema.safeParse(raw);
  if (!r.success) throw new VaultError('VAULT_CORRUPT', 'An escrow row is malformed.');
  return r.data;
}

export function insertEscrow(db: SqliteDatabase, row: { id: string; label: string; threshold: number; shares: number; data: EscrowData; createdAt: number }): void {
  db.prepare('INSERT INTO escrows (id, label, threshold, shares, data, created_at, deleted_at) VALUES (?, ?, ?, ?, ?, ?, NULL)').run(
    row.id,
    row.label,
    row.threshold,
    row.shares,
    JSON.stringify(escrowDataSchema.parse(row.data)),
    row.createdAt,
  );
}

export function getEscrow(db: SqliteDatabase, id: string): EscrowRow | undefined {
  const raw: unknown = db.prepare('SELECT * FROM escrows WHERE id = ?').get(id);
  return raw === undefined ? undefined : parseRow(raw);
}

export function listEscrowRows(db: SqliteDatabase, includeDeleted: boolean): EscrowRow[] {
  return db.prepare(`SELECT * FROM escrows ${includeDeleted ? '' : 'WHERE deleted_at IS NULL'} ORDER BY created_at`).all().map(parseRow);
}

/** Mark one escrow ended (its slot is gone); returns false when there is no such row. */
export function markEscrowEnded(db: SqliteDatabase, id: string, at: number, by: NonNullable<EscrowData['invalidatedBy']>): boolean {
  const row = getEscrow(db, id);
  if (!row) return false;
  let data: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(row.data);
    if (typeof parsed === 'object' && parsed !== null) data = { ...parsed };
  } catch {
    /* keep going: the row is marked either way */
  }
  db.prepare('UPDATE escrows SET deleted_at = ?, data = ? WHERE id = ?').run(at, JSON.stringify({ ...data, invalidatedBy: by }), id);
  return true;
}

/** Every live escrow ends (a key rotation drops the recovery slots); returns how many. */
export function markAllEscrowsEnded(db: SqliteDatabase, at: number, by: NonNullable<EscrowData['invalidatedBy']>): number {
  const live = listEscrowRows(db, false);
  for (const r of live) markEscrowEnded(db, r.id, at, by);
  return live.length;
}
