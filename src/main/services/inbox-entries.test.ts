// The inbox fold over audit events: decisions, deliveries after approval, environment refusals.
import { describe, expect, it } from 'vitest';
import type { AuditEventDto } from '../../shared/audit.contract.js';
import { buildInbox, type InboxNames } from './inbox-entries.js';

const M4 = 'm4-0000000000000000000000000000000000';
const M5 = 'm5-0000000000000000000000000000000000';
const names: InboxNames = {
  agentName: (id) => (id === 'agent-1' ? 'Research Bot' : null),
  memory: (id) => (id === M4 ? { shortId: 'm4short', level: 4, title: null } : undefined),
};

let seq = 0;
function ev(kind: string, fields: Partial<AuditEventDto> = {}): AuditEventDto {
  seq += 1;
  return {
    seq,
    ts: `2026-12-02T07:00:${String(seq).padStart(2, '0')}Z`,
    kind,
    actor: { type: 'agent', id: 'agent-1' },
    outcome: 'ok',
    leafHash: 'x',
    ...fields,
  };
}
const owner = { type: 'owner', id: 'desktop' };

describe('buildInbox', () => {
  it('folds request → approval → delivery into one entry: released, or failed with the key refusal', () => {
    const events = [
      ev('approval.requested', { memory: { id: M4, level: 4 }, details: { requestId: 'r1' } }),
      ev('approval.granted', { actor: owner, memory: { id: M4, level: 4 }, details: { requestId: 'r1', requester: 'agent-1' } }),
      ev('memory.recall', { memory: { id: M4, level: 4 } }),
      ev('approval.requested', { memory: { id: M5, level: 5 }, details: { requestId: 'r2' } }),
      ev('approval.granted', { actor: owner, memory: { id: M5, level: 5 }, details: { requestId: 'r2', requester: 'agent-1' } }),
      ev('memory.recall', { memory: { id: M5, level: 5 }, outcome: 'refused', code: 'TOKEN_MISMATCH', reason: 'wrong key' }),
    ];
    const inbox = buildInbox(events, names, 10);
    expect(inbox.map((e) => [e.id, e.outcome, e.code])).toEqual([
      ['r2', 'failed', 'TOKEN_MISMATCH'],
      ['r1', 'released', null],
    ]);
    expect(inbox[1]).toMatchObject({
      requester: { name: 'Research Bot' },
      memory: { shortId: 'm4short', title: null },
      decidedBy: 'desktop',
    });
    // A memory that no longer resolves still gets a short id and its level, never a title.
    expect(inbox[0]?.memory).toMatchObject({ level: 5, title: null });
  });

  it('denied, expired and cancelled requests, and environment refusals that never became requests', () => {
    const events = [
      ev('approval.requested', { memory: { id: M4, level: 4 }, details: { requestId: 'a' } }),
      ev('approval.denied', { actor: owner, memory: { id: M4, level: 4 }, details: { requestId: 'a', requester: 'agent-1' } }),
      ev('approval.requested', { memory: { id: M4, level: 4 }, details: { requestId: 'b' } }),
      ev('approval.expired', { actor: { type: 'system', id: 'approvals' }, memory: { id: M4, level: 4 }, details: { requestId: 'b' } }),
      ev('boundary.denied', {
        memory: { id: M4, level: 4 },
        outcome: 'refused',
        code: 'BOUNDARY_DENIED',
        reason: 'Environment check refused: ONLINE',
      }),
    ];
    const inbox = buildInbox(events, names, 10);
    expect(inbox.map((e) => e.outcome)).toEqual(['refused', 'expired', 'denied']);
    expect(inbox[0]).toMatchObject({
      code: 'BOUNDARY_DENIED',
      reason: 'Environment check refused: ONLINE',
      requester: { name: 'Research Bot' },
    });
    expect(inbox[1]?.decidedBy).toBeNull();
  });

  it("leaves out the owner's own reveals (approved by the window itself) and respects the limit", () => {
    const events = [
      ev('approval.requested', { actor: owner, memory: { id: M4, level: 4 }, details: { requestId: 'own' } }),
      ev('approval.granted', { actor: owner, memory: { id: M4, level: 4 }, details: { requestId: 'own', requester: 'desktop' } }),
      ev('boundary.denied', { memory: { id: M4, level: 4 }, outcome: 'refused', code: 'BOUNDARY_DENIED' }),
      ev('boundary.denied', { memory: { id: M4, level: 4 }, outcome: 'refused', code: 'BOUNDARY_DENIED' }),
    ];
    const inbox = buildInbox(events, names, 1);
    expect(inbox).toHaveLength(1);
    expect(inbox[0]?.outcome).toBe('refused');
  });
});
