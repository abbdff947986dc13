// The effort_segments and effort_receipts tables. Store layer: a receipt row is inserted only
// from inside `engine.runAudited` work (effort-store.ts), so it commits with its `effort.receipt`
// leaf. Segment rows are observation scratch with no leaf of their own: what the log vouches for
// is the receipt, whose signed hash the leaf carries. Rows are parsed, never cast.
import { z } from 'zod';
import { VaultError } from '../../core/errors.js';
import type { SqliteDatabase } from '../store/encrypted-database.js';

const dataRow = z.object({ data: z.string() });
const idRow = z.object({ id: z.string() });
const receiptRow = z.object({ receipt: z.string() });
const memoryRow = z.object({ id: z.string(), level: z.number().int() });

function parse<T>(schema: z.ZodType<T>, raw: unknown): T {
  const r = schema.safeParse(raw);
  if (!r.success) throw new VaultError('VAULT_CORRUPT', 'An effort row is malformed.');
  return r.data;
}

export function insertSegment(db: SqliteDatabase, id: string, state: string, data: string, createdAt: number): void {
  db.prepare('INSERT INTO effort_segments (id, state, data, created_at) VALUES (?, ?, ?, ?)').run(id, state, data, createdAt);
}

export function updateSegment(db: SqliteDatabase, id: string, state: string, data: string): void {
  db.prepare('UPDATE effort_segments SET state = ?, data = ? WHERE id = ?').run(state, data, id);
}

export function segmentData(db: SqliteDatabase, id: string): string | undefined {
  const raw: unknown = db.prepare('SELECT data FROM effort_segments WHERE id = ?').get(id);
  return raw === undefined ? undefined : parse(dataRow, raw).data;
}

export function observingSegmentIds(db: SqliteDatabase): string[] {
  return db.prepare("SELECT id FROM effort_segments WHERE state = 'observing' ORDER BY created_at").all().map((r: unknown) => parse(idRow, r).id);
}

export function pendingSegmentIds(db: SqliteDatabase): string[] {
  return db
    .prepare('SELECT s.id FROM effort_segments s WHERE NOT EXISTS (SELECT 1 FROM effort_receipts r WHERE r.segment_id = s.id) ORDER BY s.created_at')
    .all()
    .map((r: unknown) => parse(idRow, r).id);
}

export function hasReceipt(db: SqliteDatabase, segmentId: string): boolean {
  return db.prepare('SELECT 1 FROM effort_receipts WHERE segment_id = ?').get(segmentId) !== undefined;
}

export function memoryOf(db: SqliteDatabase, memoryId: string): { id: string; level: number } | undefined {
  const raw: unknown = db.prepare('SELECT id, level FROM memories WHERE id = ?').get(memoryId);
  return raw === undefined ? undefined : parse(memoryRow, raw);
}

export function insertReceipt(db: SqliteDatabase, row: { id: string; memoryId: string | null; segmentId: string; receipt: string; createdAt: number }): void {
  db.prepare('INSERT INTO effort_receipts (id, memory_id, segment_id, receipt, created_at) VALUES (?, ?, ?, ?, ?)').run(row.id, row.memoryId, row.segmentId, row.receipt, row.createdAt);
}

export function receiptTextsOf(db: SqliteDatabase, memoryId: string): string[] {
  return db.prepare('SELECT receipt FROM effort_receipts WHERE memory_id = ? ORDER BY created_at').all(memoryId).map((r: unknown) => parse(receiptRow, r).receipt);
}
