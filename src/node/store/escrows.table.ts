// The `escrows` table: metadata and per-share fingerprints of each escrow (never a share or a
// recovery key). Writers are called only from inside `engine.runAudited` work, so each row
// change commits with its `escrow.*` leaf (escrow.service.ts, rotate-profile-key.ts).
import { z } from 'zod';
import { escrowDataSchema, type EscrowData } from '../../core/escrow/escrow-record.js';
import type { SqliteDatabase } from './encrypted-database.js';
import { parseRow } from './row-parse.js';

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

export interface NewEscrowRow {
  readonly id: string;
  readonly label: string;
  readonly threshold: number;
  readonly shares: number;
  readonly data: EscrowData;
  readonly createdAt: number;
}

export interface EscrowsTable {
  insert(row: NewEscrowRow): void;
  get(id: string): EscrowRow | undefined;
  list(includeDeleted: boolean): EscrowRow[];
  /** Mark one escrow ended (its slot is gone); false when there is no such row. */
  markEnded(id: string, at: number, by: NonNullable<EscrowData['invalidatedBy']>): boolean;
  /** Every live escrow ends (a key rotation drops the recovery slots); returns how many. */
  markAllEnded(at: number, by: NonNullable<EscrowData['invalidatedBy']>): number;
}

const COLUMNS = 'id, label, threshold, shares, data, created_at, deleted_at';

export function escrowsTable(db: SqliteDatabase): EscrowsTable {
  const insert = db.prepare(
    'INSERT INTO escrows (id, label, threshold, shares, data, created_at, deleted_at) VALUES (?, ?, ?, ?, ?, ?, NULL)',
  );
  const byId = db.prepare(`SELECT ${COLUMNS} FROM escrows WHERE id = ?`);
  const live = db.prepare(`SELECT ${COLUMNS} FROM escrows WHERE deleted_at IS NULL ORDER BY created_at`);
  const all = db.prepare(`SELECT ${COLUMNS} FROM escrows ORDER BY created_at`);
  const end = db.prepare('UPDATE escrows SET deleted_at = ?, data = ? WHERE id = ?');
  const parse = (raw: unknown): EscrowRow => parseRow(rowSchema, raw, 'An escrow row');
  const get = (id: string): EscrowRow | undefined => {
    const raw: unknown = byId.get(id);
    return raw === undefined ? undefined : parse(raw);
  };
  const list = (includeDeleted: boolean): EscrowRow[] => (includeDeleted ? all : live).all().map(parse);
  const markEnded = (id: string, at: number, by: NonNullable<EscrowData['invalidatedBy']>): boolean => {
    const row = get(id);
    if (!row) return false;
    let data: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(row.data);
      if (typeof parsed === 'object' && parsed !== null) data = { ...parsed };
    } catch {
      /* keep going: the row is marked either way */
    }
    end.run(at, JSON.stringify({ ...data, invalidatedBy: by }), id);
    return true;
  };
  return {
    insert: (row) => {
      insert.run(row.id, row.label, row.threshold, row.shares, JSON.stringify(escrowDataSchema.parse(row.data)), row.createdAt);
    },
    get,
    list,
    markEnded,
    markAllEnded: (at, by) => {
      const rows = list(false);
      for (const r of rows) markEnded(r.id, at, by);
      return rows.length;
    },
  };
}
