// MP-02 observation and receipts over the vault tables effort_segments and effort_receipts.
// Segments (with their signal texts) live only in the encrypted database; a receipt is signed by
// the vault's audit key and its hash is appended to the audit log, so anchoring the log's
// checkpoints anchors the receipt too.
// Invariant: the receipt row is inserted inside `engine.runAudited`, so it commits with its
// `effort.receipt` leaf or not at all (SQL in store/effort-segments.table.ts, store/effort-receipts.table.ts).
import { randomUUID } from 'node:crypto';
import { VaultError } from '../../core/errors.js';
import {
  MAX_SIGNALS,
  observerSchema,
  segmentSchema,
  signalSchema,
  type EffortSegment,
  type Observer,
  type SignalType,
} from '../../core/integrations/effort/effort-model.js';
import { validateSegment, type EffortValidation } from '../../core/integrations/effort/effort-validator.js';
import {
  effortReceiptSchema,
  issueReceipt,
  receiptHash,
  type EffortReceipt,
  type ReceiptSigner,
} from '../../core/integrations/effort/effort-receipt.js';
import { isLevel } from '../../core/levels.js';
import { openFeatureTables, type FeatureTables } from '../store/feature-tables.js';
import { tableFrom, type TableSource } from '../store/table-source.js';
import type { AuditedRunner } from './intent-links.js';

export interface StoredReceipt {
  readonly receipt: EffortReceipt;
  readonly receiptHash: string;
  readonly auditSeq: number | null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export class EffortStore {
  private readonly tables: Pick<FeatureTables, 'effortSegments' | 'effortReceipts'>;

  constructor(
    source: TableSource<Pick<FeatureTables, 'effortSegments' | 'effortReceipts'>>,
    private readonly signer: ReceiptSigner,
    private readonly engine: AuditedRunner,
    private readonly actor: { type: 'owner'; id: string } = { type: 'owner', id: 'cli' },
    private readonly now: () => number = Date.now,
  ) {
    this.tables = tableFrom(source, openFeatureTables);
  }

  private save(seg: EffortSegment, insert = false): EffortSegment {
    const data = JSON.stringify(segmentSchema.parse(seg));
    if (insert) this.tables.effortSegments.insert(seg.id, seg.state, data, seg.startedAt);
    else this.tables.effortSegments.update(seg.id, seg.state, data);
    return seg;
  }

  get(segmentId: string): EffortSegment {
    const data = this.tables.effortSegments.data(segmentId);
    if (data === undefined) throw new VaultError('NOT_FOUND', 'No such effort segment.');
    const parsed = segmentSchema.safeParse(parseJson(data));
    if (!parsed.success) throw new VaultError('INTEGRITY_FAILURE', 'The stored effort segment is damaged.');
    return parsed.data;
  }

  /** The segment named, or the only one being observed. */
  private observing(segmentId?: string): EffortSegment {
    if (segmentId !== undefined) {
      const seg = this.get(segmentId);
      if (seg.state !== 'observing') throw new VaultError('INVALID_INPUT', 'That effort segment is already stopped.');
      return seg;
    }
    const rows = this.tables.effortSegments.observingIds();
    if (rows.length === 0) throw new VaultError('NOT_FOUND', 'No effort segment is being observed; run `effort start` first.');
    if (rows.length > 1) throw new VaultError('INVALID_INPUT', 'Several effort segments are being observed; name one with --segment.');
    return this.get(rows[0] ?? '');
  }

  /** `observer`: who captures this segment's signals and how (disclosed on its receipt). */
  start(reason: string, observer: Observer): EffortSegment {
    const who = observerSchema.safeParse(observer);
    if (!who.success) throw new VaultError('INVALID_INPUT', 'An observer id is 1–128 printable characters without spaces.');
    const seg: EffortSegment = {
      id: randomUUID(),
      state: 'observing',
      startedAt: this.now(),
      stoppedAt: null,
      startReason: reason.slice(0, 1000),
      stopReason: null,
      signals: [],
      observer: who.data,
    };
    return this.save(seg, true);
  }

  signal(type: SignalType, content: string, segmentId?: string): EffortSegment {
    const seg = this.observing(segmentId);
    if (seg.signals.length >= MAX_SIGNALS) throw new VaultError('INVALID_INPUT', `A segment holds at most ${MAX_SIGNALS} signals.`);
    const parsed = signalSchema.safeParse({ type, content, at: Math.max(this.now(), seg.signals.at(-1)?.at ?? seg.startedAt) });
    if (!parsed.success) throw new VaultError('INVALID_INPUT', 'A signal has a known type and at most 4096 characters.');
    return this.save({ ...seg, signals: [...seg.signals, parsed.data] });
  }

  stop(reason: string, segmentId?: string): EffortSegment {
    const seg = this.observing(segmentId);
    return this.save({
      ...seg,
      state: 'stopped',
      stoppedAt: Math.max(this.now(), seg.signals.at(-1)?.at ?? seg.startedAt),
      stopReason: reason.slice(0, 1000),
    });
  }

  /**
   * The deterministic validation of a segment as it stands (one still being observed is validated
   * up to its last signal): what its receipt would attest, without issuing one. Reads only.
   */
  validate(segmentId: string): { segment: EffortSegment; validation: EffortValidation } {
    const seg = this.get(segmentId);
    return { segment: seg, validation: validateSegment(seg) };
  }

  /** Validate a stopped segment and issue its signed receipt, linked to a memory (or to none). */
  async issue(segmentId: string, memoryId: string | null): Promise<StoredReceipt> {
    const seg = this.get(segmentId);
    if (seg.state !== 'stopped') throw new VaultError('INVALID_INPUT', 'Stop the segment before issuing its receipt.');
    if (this.tables.effortReceipts.hasReceipt(seg.id)) throw new VaultError('INVALID_INPUT', 'This segment already has a receipt.');
    let memory: { id: string; level: number } | undefined;
    if (memoryId !== null) {
      memory = this.tables.effortReceipts.memory(memoryId);
      if (!memory || !isLevel(memory.level)) throw new VaultError('NOT_FOUND', 'No such memory.');
    }
    const receipt = issueReceipt({
      segment: seg,
      memoryId: memory?.id ?? null,
      receiptId: randomUUID(),
      issuedAt: this.now(),
      signer: this.signer,
    });
    const hash = receiptHash(receipt);
    const level = memory?.level;
    await this.engine.runAudited(
      (tx) => {
        this.tables.effortReceipts.insert({
          id: receipt.receiptId,
          memoryId: receipt.memoryId,
          segmentId: seg.id,
          receipt: JSON.stringify(receipt),
          createdAt: this.now(),
        });
        tx.noteWrite();
      },
      () => ({
        kind: 'effort.receipt',
        actor: this.actor,
        outcome: 'ok',
        ...(memory && level !== undefined && isLevel(level) ? { memory: { id: memory.id, level } } : {}),
        details: { receiptId: receipt.receiptId, receiptHash: hash, signals: receipt.signalCount },
      }),
    );
    // runAudited returns the work's result, not the leaf's index; the leaf is found by receiptId.
    return { receipt, receiptHash: hash, auditSeq: null };
  }

  /** Segments still observing, or stopped without a receipt. */
  pending(): { id: string; state: string; startedAt: string; signals: number }[] {
    return this.tables.effortSegments.pendingIds().map((id) => {
      const seg = this.get(id);
      return { id, state: seg.state, startedAt: new Date(seg.startedAt).toISOString(), signals: seg.signals.length };
    });
  }

  receiptsOf(memoryId: string): StoredReceipt[] {
    return this.tables.effortReceipts.textsOf(memoryId).map((text) => {
      const parsed = effortReceiptSchema.safeParse(parseJson(text));
      if (!parsed.success) throw new VaultError('INTEGRITY_FAILURE', 'A stored effort receipt is damaged.');
      return { receipt: parsed.data, receiptHash: receiptHash(parsed.data), auditSeq: null };
    });
  }
}
