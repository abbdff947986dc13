// The `effort_receipts` table. A receipt row is inserted only from inside `engine.runAudited`
// work (effort-store.ts), so it commits with its `effort.receipt` leaf. Rows are parsed, never cast.
import { z } from 'zod';
import type { SqliteDatabase } from './encrypted-database.js';
import { parseRow } from './row-parse.js';

const receiptRow = z.object({ receipt: z.string() });
const memoryRow = z.object({ id: z.string(), level: z.number().int() });

export interface NewEffortReceiptRow {
  readonly id: string;
  readonly memoryId: string | null;
  readonly segmentId: string;
  readonly receipt: string;
  readonly createdAt: number;
}

export interface EffortReceiptsTable {
  insert(row: NewEffortReceiptRow): void;
  hasReceipt(segmentId: string): boolean;
  /** Receipt texts attached to a memory, oldest first. */
  textsOf(memoryId: string): string[];
  /** The memory a receipt is attached to (id and level), if it exists. */
  memory(memoryId: string): { id: string; level: number } | undefined;
}

export function effortReceiptsTable(db: SqliteDatabase): EffortReceiptsTable {
  const insert = db.prepare('INSERT INTO effort_receipts (id, memory_id, segment_id, receipt, created_at) VALUES (?, ?, ?, ?, ?)');
  const has = db.prepare('SELECT 1 FROM effort_receipts WHERE segment_id = ?');
  const texts = db.prepare('SELECT receipt FROM effort_receipts WHERE memory_id = ? ORDER BY created_at');
  const memory = db.prepare('SELECT id, level FROM memories WHERE id = ?');
  return {
    insert: (r) => {
      insert.run(r.id, r.memoryId, r.segmentId, r.receipt, r.createdAt);
    },
    hasReceipt: (segmentId) => has.get(segmentId) !== undefined,
    textsOf: (memoryId) => texts.all(memoryId).map((r) => parseRow(receiptRow, r, 'An effort row').receipt),
    memory: (memoryId) => {
      const raw: unknown = memory.get(memoryId);
      return raw === undefined ? undefined : parseRow(memoryRow, raw, 'An effort row');
    },
  };
}
