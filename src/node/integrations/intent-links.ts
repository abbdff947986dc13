// IntentLog links (memory_intents): many intents per memory and many memories per intent. A
// memory's store-time `intentRef` counts as a link too, but it is part of the memory and cannot be
// unlinked. Link and unlink are audited (the audit event carries a hash of the reference).
import { VaultError } from '../../core/errors.js';
import type { AuditEventInput } from '../../core/events/audit-event.js';
import { intentRefHash, parseIntentRef } from '../../core/integrations/intent-ref.js';
import { isLevel, type Level } from '../../core/levels.js';
import { shortIdOf } from '../../core/model/memory.js';
import type { SqliteDatabase } from '../store/encrypted-database.js';

export type LinkSource = 'store' | 'link';

export interface IntentLink {
  readonly memoryId: string;
  readonly shortId: string;
  readonly intentRef: string;
  readonly level: Level;
  readonly title: string;
  readonly tombstoned: boolean;
  readonly source: LinkSource;
  readonly linkedAt: string;
}

interface LinkRow {
  memory_id: string;
  intent_ref: string;
  level: number;
  title: string;
  tombstoned_at: number | null;
  source: LinkSource;
  linked_at: number;
}

// Both kinds of link in one shape: explicit rows, plus the memories' own store-time references.
const LINKS = `
  SELECT l.memory_id, l.intent_ref, m.level, m.title, m.tombstoned_at, 'link' AS source, l.linked_at
    FROM memory_intents l JOIN memories m ON m.id = l.memory_id
  UNION ALL
  SELECT m.id, m.intent_ref, m.level, m.title, m.tombstoned_at, 'store' AS source, m.created_at
    FROM memories m WHERE m.intent_ref IS NOT NULL`;

export type RecordEvent = (event: AuditEventInput) => Promise<number>;

export class IntentLinks {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly record: RecordEvent,
    private readonly now: () => number = Date.now,
  ) {}

  private memory(memoryId: string): { id: string; level: Level; intentRef: string | null } {
    const r = this.db.prepare('SELECT id, level, intent_ref FROM memories WHERE id = ?').get(memoryId) as { id: string; level: number; intent_ref: string | null } | undefined;
    if (!r || !isLevel(r.level)) throw new VaultError('NOT_FOUND', 'No such memory.');
    return { id: r.id, level: r.level, intentRef: r.intent_ref };
  }

  async link(memoryId: string, intentRef: string): Promise<{ linked: boolean }> {
    const ref = parseIntentRef(intentRef);
    const m = this.memory(memoryId);
    if (m.intentRef === ref) return { linked: false };
    const { changes } = this.db.prepare('INSERT OR IGNORE INTO memory_intents (memory_id, intent_ref, linked_at) VALUES (?, ?, ?)').run(m.id, ref, this.now());
    if (changes === 0) return { linked: false };
    await this.record({ kind: 'intent.link', actor: { type: 'owner', id: 'cli' }, outcome: 'ok', memory: { id: m.id, level: m.level }, details: { intentRefHash: intentRefHash(ref) } });
    return { linked: true };
  }

  async unlink(memoryId: string, intentRef: string): Promise<{ unlinked: boolean }> {
    const ref = parseIntentRef(intentRef);
    const m = this.memory(memoryId);
    if (m.intentRef === ref) throw new VaultError('INVALID_INPUT', 'This is the memory\'s store-time intent reference; it is part of the memory and cannot be unlinked.');
    const { changes } = this.db.prepare('DELETE FROM memory_intents WHERE memory_id = ? AND intent_ref = ?').run(m.id, ref);
    if (changes === 0) return { unlinked: false };
    await this.record({ kind: 'intent.unlink', actor: { type: 'owner', id: 'cli' }, outcome: 'ok', memory: { id: m.id, level: m.level }, details: { intentRefHash: intentRefHash(ref) } });
    return { unlinked: true };
  }

  /** Memories linked to an intent (search by intent). */
  memoriesOf(intentRef: string): IntentLink[] {
    const ref = parseIntentRef(intentRef);
    const rows = this.db.prepare(`SELECT * FROM (${LINKS}) WHERE intent_ref = ? ORDER BY linked_at, memory_id`).all(ref) as LinkRow[];
    return rows.map(toLink);
  }

  /** Intents a memory is linked to. */
  intentsOf(memoryId: string): IntentLink[] {
    const m = this.memory(memoryId);
    const rows = this.db.prepare(`SELECT * FROM (${LINKS}) WHERE memory_id = ? ORDER BY linked_at, intent_ref`).all(m.id) as LinkRow[];
    return rows.map(toLink);
  }
}

function toLink(r: LinkRow): IntentLink {
  if (!isLevel(r.level)) throw new VaultError('INTEGRITY_FAILURE', 'A memory row carries an impossible level.');
  return {
    memoryId: r.memory_id,
    shortId: shortIdOf(r.memory_id),
    intentRef: r.intent_ref,
    level: r.level,
    title: r.title,
    tombstoned: r.tombstoned_at !== null,
    source: r.source,
    linkedAt: new Date(r.linked_at).toISOString(),
  };
}
