// Audit events are the leaves of the transparency log. Invariant: no plaintext and no key
// material ever appears in an event — memories appear as id, level and a hiding commitment;
// search queries as a hash; keys as fingerprints.
import type { ErrorCode } from '../errors.js';
import type { AuditEventKind } from '../common/audit-event-kinds.js';
import type { Level } from '../levels.js';

// The list lives in the pure common layer so the renderer's audit filter offers exactly these.
export { AUDIT_EVENT_KINDS, type AuditEventKind } from '../common/audit-event-kinds.js';

export type AuditOutcome = 'ok' | 'refused' | 'error';

export type AuditScalar = string | number | boolean | null;

export interface AuditEventInput {
  readonly kind: AuditEventKind;
  readonly actor: { readonly type: 'owner' | 'agent' | 'system'; readonly id: string };
  readonly outcome: AuditOutcome;
  readonly memory?: { readonly id: string; readonly level: Level; readonly commitment?: string };
  readonly code?: ErrorCode;
  readonly reason?: string;
  readonly details?: Readonly<Record<string, AuditScalar | readonly AuditScalar[]>>;
}

/** The stored leaf: the event plus its position and time, serialized as RFC 8785 JSON. */
export interface AuditLeaf extends AuditEventInput {
  readonly v: 1;
  readonly seq: number;
  readonly ts: string;
}
