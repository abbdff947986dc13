// Anchor receipts (table anchor_receipts). One row per checkpoint sent (or to be sent) to an
// anchor: `pending` (queued, retried with backoff), `posted` (the anchor accepted the entry),
// `anchored` (the anchor proved the entry's inclusion). Pending rows coalesce: a newer checkpoint
// supersedes a queued older one, because anchoring size N also vouches for every size below N.
// SQL in store/anchor-receipts.table.ts.
// Not on `engine.runAudited` (tests/lint/audited-writes.test.ts keeps it allowlisted, with why):
// these rows are bookkeeping of checkpoints already signed into the log, and there is no leaf to
// pair them with. A leaf per post would itself grow the log, be checkpointed, queued and posted
// again — an endless self-anchoring loop — and a failed append could not un-publish an entry
// a remote anchor already accepted. The anchor's own proof (markAnchored) is the record.
import { z } from 'zod';
import { VaultError } from '../../core/errors.js';
import { anchorReceiptsTable, type AnchorReceiptRow, type AnchorReceiptsTable } from '../store/anchor-receipts.table.js';
import { tableFrom, type TableSource } from '../store/table-source.js';

export type AnchorStatus = 'pending' | 'posted' | 'anchored';

const receiptSchema = z
  .object({
    entryId: z.string().optional(),
    postedAt: z.string().optional(),
    details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
    inclusion: z
      .object({
        blockHash: z.string(),
        blockHeight: z.number(),
        merkleProof: z.array(z.string()),
        timestamp: z.string(),
        checkedAt: z.string(),
      })
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

function toRow(r: AnchorReceiptRow): AnchorRow {
  if (r.status !== 'pending' && r.status !== 'posted' && r.status !== 'anchored')
    throw new VaultError('INTEGRITY_FAILURE', `Anchor receipt ${r.id} has an unknown status.`);
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
  return {
    id: r.id,
    anchor: r.anchor,
    checkpointSize: r.checkpoint_size,
    status: r.status,
    receipt,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    createdAt: r.created_at,
  };
}

export class AnchorStore {
  private readonly table: AnchorReceiptsTable;

  constructor(source: TableSource<AnchorReceiptsTable>) {
    this.table = tableFrom(source, anchorReceiptsTable);
  }

  /** Queue checkpoint `size` for `anchor` unless it (or a newer one) is already queued or sent. */
  enqueue(anchor: string, size: number, now: number): void {
    if (this.table.covered(anchor, size)) return;
    const pending = this.table.firstPending(anchor);
    if (pending) {
      if (pending.checkpoint_size < size) this.table.setCheckpointSize(pending.id, size);
      return;
    }
    this.table.insertPending(anchor, size, now);
  }

  due(anchor: string, now: number): AnchorRow[] {
    return this.table.due(anchor, now).map(toRow);
  }

  withStatus(anchor: string, status: AnchorStatus): AnchorRow[] {
    return this.table.withStatus(anchor, status).map(toRow);
  }

  /** Earliest scheduled retry, to arm one timer. */
  nextRetryAt(anchor: string): number | null {
    return this.table.nextRetryAt(anchor);
  }

  markPosted(id: number, receipt: AnchorReceiptData): void {
    this.table.markPosted(id, JSON.stringify(receipt));
  }

  markFailed(id: number, error: string, nextAttemptAt: number): void {
    this.table.markFailed(id, JSON.stringify({ lastError: error }), nextAttemptAt);
  }

  markAnchored(id: number, receipt: AnchorReceiptData): void {
    this.table.markAnchored(id, JSON.stringify(receipt));
  }

  /** `anchor retry`: every pending row is due now. */
  resetBackoff(): number {
    return this.table.resetBackoff();
  }

  list(limit = 100): AnchorRow[] {
    return this.table.latest(limit).map(toRow);
  }

  /** Sent checkpoints that include audit event `index` (for existence proofs). */
  covering(index: number): AnchorRow[] {
    return this.table.covering(index).map(toRow);
  }
}
