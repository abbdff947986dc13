// The `anchor_receipts` table: one row per checkpoint sent (or to be sent) to an anchor.
// Not written through `engine.runAudited`, by design (see integrations/anchor-store.ts): these
// rows are bookkeeping of checkpoints already signed into the log, with no leaf to pair them
// with — a leaf per post would be checkpointed, queued and posted in turn, forever.
import { z } from 'zod';
import type { SqliteDatabase } from './encrypted-database.js';
import { parseRow } from './row-parse.js';

const rowSchema = z.object({
  id: z.number().int(),
  anchor: z.string(),
  checkpoint_size: z.number().int(),
  status: z.string(),
  receipt: z.string().nullable(),
  attempts: z.number().int(),
  next_attempt_at: z.number().nullable(),
  created_at: z.number(),
});
export type AnchorReceiptRow = z.infer<typeof rowSchema>;

const pendingRowSchema = z.object({ id: z.number().int(), checkpoint_size: z.number().int() });
const minRowSchema = z.object({ t: z.number().nullable() });

export interface AnchorReceiptsTable {
  /** Some posted or anchored row of `anchor` covers checkpoint `size` or a newer one. */
  covered(anchor: string, size: number): boolean;
  firstPending(anchor: string): { id: number; checkpoint_size: number } | undefined;
  setCheckpointSize(id: number, size: number): void;
  insertPending(anchor: string, size: number, now: number): void;
  due(anchor: string, now: number): AnchorReceiptRow[];
  withStatus(anchor: string, status: string): AnchorReceiptRow[];
  nextRetryAt(anchor: string): number | null;
  markPosted(id: number, receiptJson: string): void;
  markFailed(id: number, receiptJson: string, nextAttemptAt: number): void;
  markAnchored(id: number, receiptJson: string): void;
  /** Every pending row due now; returns how many. */
  resetBackoff(): number;
  latest(limit: number): AnchorReceiptRow[];
  /** Sent rows whose checkpoint includes audit event `index`, smallest first. */
  covering(index: number): AnchorReceiptRow[];
}

const COLUMNS = 'id, anchor, checkpoint_size, status, receipt, attempts, next_attempt_at, created_at';

export function anchorReceiptsTable(db: SqliteDatabase): AnchorReceiptsTable {
  const covered = db.prepare("SELECT 1 FROM anchor_receipts WHERE anchor = ? AND status != 'pending' AND checkpoint_size >= ?");
  const firstPending = db.prepare(
    "SELECT id, checkpoint_size FROM anchor_receipts WHERE anchor = ? AND status = 'pending' ORDER BY id LIMIT 1",
  );
  const setSize = db.prepare('UPDATE anchor_receipts SET checkpoint_size = ? WHERE id = ?');
  const insert = db.prepare(
    "INSERT INTO anchor_receipts (anchor, checkpoint_size, status, receipt, attempts, next_attempt_at, created_at) VALUES (?, ?, 'pending', NULL, 0, NULL, ?)",
  );
  const due = db.prepare(
    `SELECT ${COLUMNS} FROM anchor_receipts WHERE anchor = ? AND status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY id`,
  );
  const withStatus = db.prepare(`SELECT ${COLUMNS} FROM anchor_receipts WHERE anchor = ? AND status = ? ORDER BY id`);
  const nextRetry = db.prepare("SELECT min(next_attempt_at) AS t FROM anchor_receipts WHERE anchor = ? AND status = 'pending'");
  const posted = db.prepare(
    "UPDATE anchor_receipts SET status = 'posted', receipt = ?, attempts = attempts + 1, next_attempt_at = NULL WHERE id = ?",
  );
  const failed = db.prepare('UPDATE anchor_receipts SET receipt = ?, attempts = attempts + 1, next_attempt_at = ? WHERE id = ?');
  const anchored = db.prepare("UPDATE anchor_receipts SET status = 'anchored', receipt = ? WHERE id = ?");
  const reset = db.prepare("UPDATE anchor_receipts SET next_attempt_at = NULL WHERE status = 'pending'");
  const latest = db.prepare(`SELECT ${COLUMNS} FROM anchor_receipts ORDER BY id DESC LIMIT ?`);
  const covering = db.prepare(
    `SELECT ${COLUMNS} FROM anchor_receipts WHERE status != 'pending' AND checkpoint_size > ? ORDER BY checkpoint_size`,
  );
  const row = (raw: unknown): AnchorReceiptRow => parseRow(rowSchema, raw, 'An anchor receipt row');
  return {
    covered: (anchor, size) => covered.get(anchor, size) !== undefined,
    firstPending: (anchor) => {
      const raw: unknown = firstPending.get(anchor);
      return raw === undefined ? undefined : parseRow(pendingRowSchema, raw, 'An anchor receipt row');
    },
    setCheckpointSize: (id, size) => {
      setSize.run(size, id);
    },
    insertPending: (anchor, size, now) => {
      insert.run(anchor, size, now);
    },
    due: (anchor, now) => due.all(anchor, now).map(row),
    withStatus: (anchor, status) => withStatus.all(anchor, status).map(row),
    nextRetryAt: (anchor) => parseRow(minRowSchema, nextRetry.get(anchor), 'An anchor receipt row').t,
    markPosted: (id, receiptJson) => {
      posted.run(receiptJson, id);
    },
    markFailed: (id, receiptJson, nextAttemptAt) => {
      failed.run(receiptJson, nextAttemptAt, id);
    },
    markAnchored: (id, receiptJson) => {
      anchored.run(receiptJson, id);
    },
    resetBackoff: () => reset.run().changes,
    latest: (limit) => latest.all(limit).map(row),
    covering: (index) => covering.all(index).map(row),
  };
}
