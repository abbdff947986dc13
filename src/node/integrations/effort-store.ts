// MP-02 observation and receipts over the vault tables effort_segments and effort_receipts.
// Segments (with their signal texts) live only in the encrypted database; a receipt is signed by
// the vault's audit key and its hash is appended to the audit log, so anchoring the log's
// checkpoints anchors the receipt too.
import { randomUUID } from 'node:crypto';
import { VaultError } from '../../core/errors.js';
import type { AuditEventInput } from '../../core/events/audit-event.js';
import { MAX_SIGNALS, segmentSchema, signalSchema, type EffortSegment, type SignalType } from '../../core/integrations/effort/effort-model.js';
import { effortReceiptSchema, issueReceipt, receiptHash, type EffortReceipt, type ReceiptSigner } from '../../core/integrations/effort/effort-receipt.js';
import { isLevel } from '../../core/levels.js';
import type { SqliteDatabase } from '../store/encrypted-database.js';

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
  constructor(
    private readonly db: SqliteDatabase,
    private readonly signer: ReceiptSigner,
    private readonly record: (event: AuditEventInput) => Promise<number>,
    private readonly actor: { type: 'owner'; id: string } = { type: 'owner', id: 'cli' },
    private readonly now: () => number = Date.now,
  ) {}

  private save(seg: EffortSegment, insert = false): EffortSegment {
    const data = JSON.stringify(segmentSchema.parse(seg));
    if (insert) this.db.prepare('INSERT INTO effort_segments (id, state, data, created_at) VALUES (?, ?, ?, ?)').run(seg.id, seg.state, data, seg.startedAt);
    else this.db.prepare('UPDATE effort_segments SET state = ?, data = ? WHERE id = ?').run(seg.state, data, seg.id);
    return seg;
  }

  get(segmentId: string): EffortSegment {
    const r = this.db.prepare('SELECT data FROM effort_segments WHERE id = ?').get(segmentId) as { data: string } | undefined;
    if (!r) throw new VaultError('NOT_FOUND', 'No such effort segment.');
    const parsed = segmentSchema.safeParse(parseJson(r.data));
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
    const rows = this.db.prepare("SELECT id FROM effort_segments WHERE state = 'observing' ORDER BY created_at").all() as { id: string }[];
    if (rows.length === 0) throw new VaultError('NOT_FOUND', 'No effort segment is being observed; run `effort start` first.');
    if (rows.length > 1) throw new VaultError('INVALID_INPUT', 'Several effort segments are being observed; name one with --segment.');
    return this.get((rows[0] as { id: string }).id);
  }

  start(reason: string): EffortSegment {
    const seg: EffortSegment = { id: randomUUID(), state: 'observing', startedAt: this.now(), stoppedAt: null, startReason: reason.slice(0, 1000), stopReason: null, signals: [] };
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
    return this.save({ ...seg, state: 'stopped', stoppedAt: Math.max(this.now(), seg.signals.at(-1)?.at ?? seg.startedAt), stopReason: reason.slice(0, 1000) });
  }

  /** Validate a stopped segment and issue its signed receipt, linked to a memory (or to none). */
  async issue(segmentId: string, memoryId: string | null): Promise<StoredReceipt> {
    const seg = this.get(segmentId);
    if (seg.state !== 'stopped') throw new VaultError('INVALID_INPUT', 'Stop the segment before issuing its receipt.');
    if (this.db.prepare('SELECT 1 FROM effort_receipts WHERE segment_id = ?').get(seg.id)) throw new VaultError('INVALID_INPUT', 'This segment already has a receipt.');
    let memory: { id: string; level: number } | undefined;
    if (memoryId !== null) {
      memory = this.db.prepare('SELECT id, level FROM memories WHERE id = ?').get(memoryId) as { id: string; level: number } | undefined;
      if (!memory || !isLevel(memory.level)) throw new VaultError('NOT_FOUND', 'No such memory.');
    }
    const receipt = issueReceipt({ segment: seg, memoryId: memory?.id ?? null, receiptId: randomUUID(), issuedAt: this.now(), signer: this.signer });
    const hash = receiptHash(receipt);
    this.db.prepare('INSERT INTO effort_receipts (id, memory_id, segment_id, receipt, created_at) VALUES (?, ?, ?, ?, ?)').run(receipt.receiptId, receipt.memoryId, seg.id, JSON.stringify(receipt), this.now());
    const auditSeq = await this.record({
      kind: 'effort.receipt',
      actor: this.actor,
      outcome: 'ok',
      ...(memory && isLevel(memory.level) ? { memory: { id: memory.id, level: memory.level } } : {}),
      details: { receiptId: receipt.receiptId, receiptHash: hash, signals: receipt.signalCount },
    });
    return { receipt, receiptHash: hash, auditSeq };
  }

  /** Segments still observing, or stopped without a receipt. */
  pending(): { id: string; state: string; startedAt: string; signals: number }[] {
    const rows = this.db.prepare('SELECT s.id FROM effort_segments s WHERE NOT EXISTS (SELECT 1 FROM effort_receipts r WHERE r.segment_id = s.id) ORDER BY s.created_at').all() as { id: string }[];
    return rows.map(({ id }) => {
      const seg = this.get(id);
      return { id, state: seg.state, startedAt: new Date(seg.startedAt).toISOString(), signals: seg.signals.length };
    });
  }

  receiptsOf(memoryId: string): StoredReceipt[] {
    const rows = this.db.prepare('SELECT receipt FROM effort_receipts WHERE memory_id = ? ORDER BY created_at').all(memoryId) as { receipt: string }[];
    return rows.map((r) => {
      const parsed = effortReceiptSchema.safeParse(parseJson(r.receipt));
      if (!parsed.success) throw new VaultError('INTEGRITY_FAILURE', 'A stored effort receipt is damaged.');
      return { receipt: parsed.data, receiptHash: receiptHash(parsed.data), auditSeq: null };
    });
  }
}
