// ApprovalBroker.cancelPending: the vault's own withdrawal of pending requests (agent revoked,
// memory tombstoned, lockdown) — only the requests the predicate selects end, each exactly once,
// as cancelled with the reason.
import { describe, expect, it } from 'vitest';
import type { Level } from '../levels.js';
import type { MemoryId, MemorySummary } from '../model/memory.js';
import type { ApprovalDecision } from '../ports/approval-gate.port.js';
import { ApprovalBroker } from './approval-broker.js';

const NOW = Date.UTC(2030, 0, 1);
const clock = { now: () => NOW };
const MEM_A = '0b9d5f0a-3c3e-4d5a-8f21-6a7b8c9d0e1f';
const MEM_B = '1c9d5f0a-3c3e-4d5a-8f21-6a7b8c9d0e1f';

function summary(id: string, level: Level): MemorySummary {
  return {
    id: id as MemoryId, // test data, not untrusted input
    shortId: id.slice(0, 8),
    namespace: 'default',
    level,
    title: 'memory',
    tags: [],
    metadata: {},
    intentRef: null,
    createdAt: new Date(NOW).toISOString(),
    createdBy: 'owner',
    expiresAt: null,
    cooldownSeconds: 0,
    tombstoned: false,
    size: 10,
  };
}

function ask(broker: ApprovalBroker, requestId: string, agent: string, memoryId: string): Promise<ApprovalDecision> {
  return broker.requestApproval({
    requestId,
    memory: summary(memoryId, 3),
    level: 3,
    requester: { kind: 'agent', agentId: agent, name: agent, maxLevel: 5, namespaces: null },
    justification: 'needed',
    createdAt: NOW,
    expiresAt: NOW + 60_000,
    grantAllowed: true,
    environment: 'test',
  });
}

describe('ApprovalBroker.cancelPending', () => {
  it("ends only the selected agent's pending requests, with the reason", async () => {
    const broker = new ApprovalBroker(clock);
    const a1 = ask(broker, 'req-a1', 'agent-a', MEM_A);
    const a2 = ask(broker, 'req-a2', 'agent-a', MEM_B);
    void ask(broker, 'req-b1', 'agent-b', MEM_A);
    const n = broker.cancelPending((r) => r.requester.type === 'agent' && r.requester.id === 'agent-a', 'agent-revoked');
    expect(n).toBe(2);
    expect(await a1).toEqual({ outcome: 'cancelled', reason: 'agent-revoked' });
    expect(await a2).toEqual({ outcome: 'cancelled', reason: 'agent-revoked' });
    expect(broker.view('req-a1').state).toBe('cancelled');
    expect(broker.view('req-b1').state).toBe('pending');
    expect(broker.pending().map((v) => v.requestId)).toEqual(['req-b1']);
    broker.expireAll();
  });

  it('selects by memory, and leaves finished requests alone (each ends exactly once)', async () => {
    const broker = new ApprovalBroker(clock);
    const onA = ask(broker, 'req-1', 'agent-a', MEM_A);
    void ask(broker, 'req-2', 'agent-b', MEM_B);
    broker.decide('req-2', { approve: false }, 'terminal', broker.view('req-2').digest);
    expect(broker.cancelPending((r) => r.memoryId === MEM_A, 'memory-tombstoned')).toBe(1);
    expect(await onA).toEqual({ outcome: 'cancelled', reason: 'memory-tombstoned' });
    expect(broker.view('req-2').state).toBe('denied');
    expect(broker.cancelPending(() => true, 'lockdown')).toBe(0);
  });

  it('a cancelled request can no longer be approved', () => {
    const broker = new ApprovalBroker(clock);
    void ask(broker, 'req-1', 'agent-a', MEM_A);
    broker.cancelPending(() => true, 'lockdown');
    expect(() => broker.decide('req-1', { approve: true }, 'terminal', broker.view('req-1').digest)).toThrow();
    expect(broker.view('req-1').state).toBe('cancelled');
  });
});
