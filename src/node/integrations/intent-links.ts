// IntentLog links (memory_intents): many intents per memory and many memories per intent. A
// memory's store-time `intentRef` counts as a link too, but it is part of the memory and cannot be
// unlinked. Link and unlink are audited (the audit event carries a hash of the reference).
// Invariant: a link row changes only inside `engine.runAudited`, so it commits with its
// `intent.link`/`intent.unlink` leaf or not at all (SQL in store/memory-intents.table.ts).
import { VaultError } from '../../core/errors.js';
import type { AuditEventInput } from '../../core/events/audit-event.js';
import { intentRefHash, parseIntentRef } from '../../core/integrations/intent-ref.js';
import { isLevel, type Level } from '../../core/levels.js';
import { shortIdOf } from '../../core/model/memory.js';
import type { VaultEngine } from '../../core/engine/vault-engine.js';
import { memoryIntentsTable, type LinkRow, type MemoryIntentsTable } from '../store/memory-intents.table.js';
import { tableFrom, type TableSource } from '../store/table-source.js';

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

/** The one audited write path (the engine): the row change and its leaf in one transaction. */
export type AuditedRunner = Pick<VaultEngine, 'runAudited'>;

export class IntentLinks {
  private readonly table: MemoryIntentsTable;

  constructor(
    source: TableSource<MemoryIntentsTable>,
    private readonly engine: AuditedRunner,
    private readonly now: () => number = Date.now,
  ) {
    this.table = tableFrom(source, memoryIntentsTable);
  }

  private memory(memoryId: string): { id: string; level: Level; intentRef: string | null } {
    const r = this.table.memory(memoryId);
    if (!r || !isLevel(r.level)) throw new VaultError('NOT_FOUND', 'No such memory.');
    return { id: r.id, level: r.level, intentRef: r.intent_ref };
  }

  private event(kind: 'intent.link' | 'intent.unlink', m: { id: string; level: Level }, ref: string): AuditEventInput {
    return {
      kind,
      actor: { type: 'owner', id: 'cli' },
      outcome: 'ok',
      memory: { id: m.id, level: m.level },
      details: { intentRefHash: intentRefHash(ref) },
    };
  }

  async link(memoryId: string, intentRef: string): Promise<{ linked: boolean }> {
    const ref = parseIntentRef(intentRef);
    const m = this.memory(memoryId);
    if (m.intentRef === ref) return { linked: false };
    const linked = await this.engine.runAudited(
      (tx) => {
        const added = this.table.insert(m.id, ref, this.now());
        if (added) tx.noteWrite();
        return added;
      },
      (added) => (added ? this.event('intent.link', m, ref) : null),
    );
    return { linked };
  }

  async unlink(memoryId: string, intentRef: string): Promise<{ unlinked: boolean }> {
    const ref = parseIntentRef(intentRef);
    const m = this.memory(memoryId);
    if (m.intentRef === ref)
      throw new VaultError(
        'INVALID_INPUT',
        "This is the memory's store-time intent reference; it is part of the memory and cannot be unlinked.",
      );
    const unlinked = await this.engine.runAudited(
      (tx) => {
        const removed = this.table.delete(m.id, ref);
        if (removed) tx.noteWrite();
        return removed;
      },
      (removed) => (removed ? this.event('intent.unlink', m, ref) : null),
    );
    return { unlinked };
  }

  /** Memories linked to an intent (search by intent). */
  memoriesOf(intentRef: string): IntentLink[] {
    return this.table.linksOfIntent(parseIntentRef(intentRef)).map(toLink);
  }

  /** Intents a memory is linked to. */
  intentsOf(memoryId: string): IntentLink[] {
    return this.table.linksOfMemory(this.memory(memoryId).id).map(toLink);
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
