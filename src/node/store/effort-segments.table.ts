// The `effort_segments` table: MP-02 observation scratch. Segment rows have no leaf of their
// own — what the log vouches for is the receipt, whose signed hash its `effort.receipt` leaf
// carries (effort-receipts.table.ts) — so they are written outside `runAudited` by design.
import { z } from 'zod';
import type { SqliteDatabase } from './encrypted-database.js';
import { parseRow } from './row-parse.js';

const dataRow = z.object({ data: z.string() });
const idRow = z.object({ id: z.string() });

export interface EffortSegmentsTable {
  insert(id: string, state: string, data: string, createdAt: number): void;
  update(id: string, state: string, data: string): void;
  data(id: string): string | undefined;
  observingIds(): string[];
  /** Segments without a receipt yet, oldest first. */
  pendingIds(): string[];
}

export function effortSegmentsTable(db: SqliteDatabase): EffortSegmentsTable {
  const insert = db.prepare('INSERT INTO effort_segments (id, state, data, created_at) VALUES (?, ?, ?, ?)');
  const update = db.prepare('UPDATE effort_segments SET state = ?, data = ? WHERE id = ?');
  const data = db.prepare('SELECT data FROM effort_segments WHERE id = ?');
  const observing = db.prepare("SELECT id FROM effort_segments WHERE state = 'observing' ORDER BY created_at");
  const pending = db.prepare(
    'SELECT s.id FROM effort_segments s WHERE NOT EXISTS (SELECT 1 FROM effort_receipts r WHERE r.segment_id = s.id) ORDER BY s.created_at',
  );
  const id = (raw: unknown): string => parseRow(idRow, raw, 'An effort row').id;
  return {
    insert: (segmentId, state, text, createdAt) => {
      insert.run(segmentId, state, text, createdAt);
    },
    update: (segmentId, state, text) => {
      update.run(state, text, segmentId);
    },
    data: (segmentId) => {
      const raw: unknown = data.get(segmentId);
      return raw === undefined ? undefined : parseRow(dataRow, raw, 'An effort row').data;
    },
    observingIds: () => observing.all().map(id),
    pendingIds: () => pending.all().map(id),
  };
}
