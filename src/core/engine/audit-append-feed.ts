// Tells listeners which kinds of audit leaf were just appended, so a view (the desktop window)
// can re-read what changed instead of polling. Every state change is audited, so one hook here
// sees memories stored or tombstoned, agents, approvals, lockdown and integrity failures alike.
// Invariants: listeners hear kinds only — never an event's fields; delivery is batched and
// deferred to a microtask, i.e. after the synchronous commit-queue flush that appended them, so
// a listener that reads back sees the committed state; a listener's failure never reaches a write.
// A rolled-back append may still be announced: it is a hint to re-read, never a fact.
import type { AuditEventKind } from '../common/audit-event-kinds.js';

export type AuditAppendListener = (kinds: ReadonlySet<AuditEventKind>) => void;

export class AuditAppendFeed {
  private readonly listeners = new Set<AuditAppendListener>();
  private batch: Set<AuditEventKind> | null = null;

  /** Called by the audit writer for each appended leaf (inside the transaction). */
  note(kind: AuditEventKind): void {
    if (this.listeners.size === 0) return;
    if (this.batch) {
      this.batch.add(kind);
      return;
    }
    this.batch = new Set([kind]);
    queueMicrotask(() => this.deliver());
  }

  subscribe(listener: AuditAppendListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private deliver(): void {
    const kinds = this.batch;
    this.batch = null;
    if (!kinds) return;
    for (const l of this.listeners) {
      try {
        l(kinds);
      } catch {
        // A view's refresh hint must never fail or delay the vault's own work.
      }
    }
  }
}
