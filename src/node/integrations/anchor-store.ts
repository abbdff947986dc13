// Anchor receipts (table anchor_receipts). One row per checkpoint sent (or to be sent) to an
// anchor: `pending` (queued, retried with backoff), `posted` (the anchor accepted the entry),
// `anchored` (the anchor proved the entry's inclusion). Pending rows coalesce: a newer checkpoint
// supersedes a queued older one, because anchoring size N also vouches for every size below N.
// Not on `engine.runAudited` (tests/lint/audited-writes.test.ts keeps it allowlisted, with why):
// these rows are bookkeeping of checkpoints already signed into the log, and there is no leaf to
// pair them with. A leaf per post would itself grow the log, be checkpointed, queued and posted
// again — an endless self-anchoring loop — and a failed append could not un-publish an entry
// a remote anchor already accepted. The anchor's own proof (markAnchored) is the record.
import { z } from 'zod';
import { VaultError } from '../../core/errors.js';
import type { SqliteDatabase } from '../store/encrypted-database.js';

export type AnchorStatus = 'pending' | 'posted' | 'anchored';

const receiptSchema = z
  .object({
    entryId: z.string().optional(),
    postedAt: z.string().optional(),
    details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
    inclusion: z
      .object({ blockHash: z.string(), blockHeight: z.number(), merkleProof: z.array(z.string()), timestamp: z.string(), checkedAt: z.string() })
      .optional(),
    lastError: z.string().optional(),
  })
  .strict();

export type AnchorReceiptData = z.infer<typeof receiptSchema>;

export interface AnchorRow {
  readonly id: number;
  readonly anchor: string;
  readonly checkpointSize: number;
  readonly status: AnchorStatus;
  readonly receipt: AnchorReceiptData;
  readonly attempts: number;
  readonly nextAttemptAt: number | null;
  readonly createdAt: number;
}

const dbRowSchema = z.object({
  id: z.number().int(),
  anchor: z.string(),
  checkpoint_size: z.number().int(),
  status: z.string(),
  receipt: z.string().nullable(),
  attempts: z.number().int(),
  next_attempt_at: z.number().nullable(),
  created_at: z.number(),
});

const pendingRowSchema = z.object({ id: z.number().int(), checkpoint_size: z.number().int() });
const minRowSchema = z.object({ t: z.number().nullable() });

function parse<T>(schema: z.ZodType<T>, raw: unknown): T {
  const r = schema.safeParse(raw);
  if (!r.success) throw new VaultError('VAULT_CORRUPT', 'An anchor receipt row is malformed.');
  return r.data;
}

function toRow(raw: unknown): AnchorRow {
  const r = parse(dbRowSchema, raw);
  if (r.status !== 'pending' && r.status !== 'posted' && r.status !== 'anchored') throw new VaultError('INTEGRITY_FAILURE', `Anchor receipt ${r.id} has an unknown status.`);
  let receipt: AnchorReceiptData = {};
  if (r.receipt !== null) {
    let json: unknown = null;
    try {
      json = JSON.parse(r.receipt);
    } catch {
      /* a damaged receipt fails the schema below: a named error, not a stack */
    }
    const parsed = receiptSchema.safeParse(json);
    if (!parsed.success) throw new VaultError('INTEGRITY_FAILURE', `Anchor receipt ${r.id} is damaged.`);
    receipt = parsed.data;
  }
  return { id: r.id, anchor: r.anchor, checkpointSize: r.checkpoint_size, status: r.status, receipt, attempts: r.attempts, nextAttemptAt: r.next_attempt_at, createdAt: r.created_at };
}

export class AnchorStore {
  constructor(private readonly db: SqliteDatabase) {}

  /** Queue checkpoint `size` for `anchor` unless it (or a newer one) is already queued or sent. */
  enqueue(anchor: string, size: number, now: number): void {
    const covered = this.db.prepare("SELECT 1 FROM anchor_receipts WHERE anchor = ? AND status != 'pending' AND checkpoint_size >= ?").get(anchor, size);
    if (covered) return;
    const rawPending: unknown = this.db.prepare("SELECT id, checkpoint_size FROM anchor_receipts WHERE anchor = ? AND status = 'pending' ORDER BY id LIMIT 1").get(anchor);
    const pending = rawPending === undefined ? undefined : parse(pendingRowSchema, rawPending);
    if (pending) {
      if (pending.checkpoint_size < size) this.db.prepare('UPDATE anchor_receipts SET checkpoint_size = ? WHERE id = ?').run(size, pending.id);
      return;
    }
    this.db.prepare("INSERT INTO anchor_receipts (anchor, checkpoint_size, status, receipt, attempts, next_attempt_at, created_at) VALUES (?, ?, 'pending', NULL, 0, NULL, ?)").run(anchor, size, now);
  }

  due(anchor: string, now: number): AnchorRow[] {
    return this.db
      .prepare("SELECT * FROM anchor_receipts WHERE anchor = ? AND status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY id")
      .all(anchor, now)
      .map(toRow);
  }

  withStatus(anchor: string, status: AnchorStatus): AnchorRow[] {
    return this.db.prepare('SELECT * FROM anchor_receipts WHERE anchor = ? AND status = ? ORDER BY id').all(anchor, status).map(toRow);
  }

  /** Earliest scheduled retry, to arm one timer. */
  nextRetryAt(anchor: string): number | null {
    return parse(minRowSchema, this.db.prepare("SELECT min(next_attempt_at) AS t FROM anchor_receipts WHERE anchor = ? AND status = 'pending'").get(anchor)).t;
  }

  markPosted(id: number, receipt: AnchorReceiptData): void {
    this.db.prepare("UPDATE anchor_receipts SET status = 'posted', receipt = ?, attempts = attempts + 1, next_attempt_at = NULL WHERE id = ?").run(JSON.stringify(receipt), id);
  }

  markFailed(id: number, error: string, nextAttemptAt: number): void {
    this.db.prepare('UPDATE anchor_receipts SET receipt = ?, attempts = attempts + 1, next_attempt_at = ? WHERE id = ?').run(JSON.stringify({ lastError: error }), nextAttemptAt, id);
  }

  markAnchored(id: number, receipt: AnchorReceiptData): void {
    this.db.prepare("UPDATE anchor_receipts SET status = 'anchored', receipt = ? WHERE id = ?").run(JSON.stringify(receipt), id);
  }

  /** `anchor retry`: every pending row is due now. */
  resetBackoff(): number {
    return this.db.prepare("UPDATE anchor_receipts SET next_attempt_at = NULL WHERE status = 'pending'").run().changes;
  }

  list(limit = 100): AnchorRow[] {
    return this.db.prepare('SELECT * FROM anchor_receipts ORDER BY id DESC LIMIT ?').all(limit).map(toRow);
  }

  /** Sent checkpoints that include audit event `index` (for existence proofs). */
  covering(index: number): AnchorRow[] {
    return this.db.prepare("SELECT * FROM anchor_receipts WHERE status != 'pending' AND checkpoint_size > ? ORDER BY checkpoint_size").all(index).map(toRow);
  }
}
