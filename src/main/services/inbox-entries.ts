// The inbox's entries, folded from signed audit events (oldest first in, newest first out): one
// entry per approval request an agent raised, ended by its decision — and, for an approved one,
// by the delivery that followed (released, or failed: a level-5 key that was not touched, the
// wrong key, a wrong PIN) — plus one entry per environment refusal, which never became a request.
// Pure: names and titles come from `InboxNames`; nothing here reads the vault.
import { isLevel } from '../../core/common/level.js';
import { shortIdOf } from '../../core/model/memory.js';
import type { AuditEventDto } from '../../shared/audit.contract.js';
import type { InboxEntryDto, InboxOutcome } from '../../shared/inbox.contract.js';
import type { LevelDto } from '../../shared/memory.dto.js';

export interface InboxNames {
  agentName(agentId: string): string | null;
  /** The memory's short id, level and (where the title rule allows) title; undefined when it no longer resolves. */
  memory(memoryId: string): { shortId: string; level: LevelDto; title: string | null } | undefined;
}

const DECISIONS: Readonly<Record<string, InboxOutcome>> = {
  'approval.granted': 'approved',
  'approval.denied': 'denied',
  'approval.expired': 'expired',
  'approval.cancelled': 'cancelled',
};
const DELIVERIES = new Set(['memory.recall', 'memory.use']);

type Requester = InboxEntryDto['requester'];

function text(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

export function buildInbox(events: readonly AuditEventDto[], names: InboxNames, limit: number): InboxEntryDto[] {
  const requesters = new Map<string, { requester: Requester; memory: AuditEventDto['memory'] }>();
  /** Approved requests waiting for their delivery leaf, by requester id + memory id. */
  const awaitingDelivery = new Map<string, InboxEntryDto>();
  const entries = new Map<string, InboxEntryDto>();

  const requesterOf = (actor: AuditEventDto['actor']): Requester => ({
    type: actor.type,
    id: actor.id,
    name: actor.type === 'owner' ? 'You' : names.agentName(actor.id),
  });
  const memoryOf = (m: AuditEventDto['memory']): InboxEntryDto['memory'] => {
    if (!m) return null;
    const found = names.memory(m.id);
    return found ? { id: m.id, ...found } : { id: m.id, shortId: shortIdOf(m.id), level: levelOf(m.level), title: null };
  };

  for (const ev of events) {
    const requestId = text(ev.details?.['requestId']);
    if (ev.kind === 'approval.requested' && requestId) {
      requesters.set(requestId, { requester: requesterOf(ev.actor), memory: ev.memory });
      continue;
    }
    const decided = DECISIONS[ev.kind];
    if (decided && requestId) {
      const asked = requesters.get(requestId);
      // The owner's own reveals raise requests this process approves itself: not news to the owner.
      if (asked?.requester.type === 'owner') continue;
      const requester = asked?.requester ?? requesterOf({ type: 'agent', id: text(ev.details?.['requester']) ?? 'unknown' });
      const entry: InboxEntryDto = {
        id: requestId,
        seq: ev.seq,
        at: ev.ts,
        outcome: decided,
        requester,
        memory: memoryOf(ev.memory ?? asked?.memory),
        decidedBy: ev.actor.type === 'owner' ? ev.actor.id : null,
        code: null,
        reason: ev.reason ?? text(ev.details?.['reason']),
      };
      entries.set(requestId, entry);
      if (decided === 'approved' && entry.memory) awaitingDelivery.set(`${requester.id}\n${entry.memory.id}`, entry);
      continue;
    }
    if (DELIVERIES.has(ev.kind) && ev.memory) {
      const key = `${ev.actor.id}\n${ev.memory.id}`;
      const approved = awaitingDelivery.get(key);
      if (!approved) continue;
      awaitingDelivery.delete(key);
      const ok = ev.outcome === 'ok';
      entries.set(approved.id, {
        ...approved,
        seq: ev.seq,
        at: ev.ts,
        outcome: ok ? 'released' : 'failed',
        code: ok ? null : (ev.code ?? null),
        reason: ok ? null : (ev.reason ?? null),
      });
      continue;
    }
    if (ev.kind === 'boundary.denied') {
      const id = `seq-${ev.seq}`;
      entries.set(id, {
        id,
        seq: ev.seq,
        at: ev.ts,
        outcome: 'refused',
        requester: requesterOf(ev.actor),
        memory: memoryOf(ev.memory),
        decidedBy: null,
        code: ev.code ?? 'BOUNDARY_DENIED',
        reason: ev.reason ?? null,
      });
    }
  }
  return [...entries.values()].toSorted((a, b) => b.seq - a.seq).slice(0, limit);
}

/** A leaf's level, parsed (an out-of-range one is shown as the most sensitive). */
function levelOf(n: number): LevelDto {
  return isLevel(n) ? n : 5;
}
