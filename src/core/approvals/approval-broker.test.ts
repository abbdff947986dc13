import { describe, expect, it } from 'vitest';
import { VaultError } from '../errors.js';
import type { Level } from '../levels.js';
import type { MemoryId, MemorySummary } from '../model/memory.js';
import type { ApprovalDecision } from '../ports/approval-gate.port.js';
import { ApprovalBroker, type ApprovalView } from './approval-broker.js';

const NOW = Date.UTC(2030, 0, 1);
const clock = { now: () => NOW };

function summary(id: string, level: Level): MemorySummary {
  return {
    id: id as MemoryId, // test data, not untrusted input
    shortId: id.slice(0, 8),
    namespace: 'default',
    level,
    title: `memory ${id.slice(0, 4)}`,
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

function ask(
  broker: ApprovalBroker,
  requestId: string,
  opts: { agent?: string; justification?: string; level?: Level } = {},
): Promise<ApprovalDecision> {
  const agent = opts.agent ?? 'agent-a';
  return broker.requestApproval({
    requestId,
    memory: summary('0b9d5f0a-3c3e-4d5a-8f21-6a7b8c9d0e1f', opts.level ?? 3),
    level: opts.level ?? 3,
    requester: { kind: 'agent', agentId: agent, name: agent, maxLevel: 5, namespaces: null },
    justification: opts.justification ?? 'needed for the deploy',
    createdAt: NOW,
    expiresAt: NOW + 60_000,
    grantAllowed: true,
    environment: 'local',
  });
}

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof VaultError ? e.code : 'not a VaultError';
  }
  return undefined;
}

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';

describe('ApprovalBroker.decide bound to the displayed digest', () => {
  it('gives each pending view a digest and accepts a decision that carries it', async () => {
    const broker = new ApprovalBroker(clock);
    const outcome = ask(broker, A);
    const view = broker.view(A);
    expect(view.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(broker.decide(A, { approve: true }, 'desktop', view.digest)).toMatchObject({ state: 'approved', decidedBy: 'desktop' });
    await expect(outcome).resolves.toEqual({ outcome: 'approved', channel: 'desktop', grantMinutes: 0 });
  });

  it('refuses the digest of another request with APPROVAL_MISMATCH and leaves both pending', () => {
    const broker = new ApprovalBroker(clock);
    void ask(broker, A);
    void ask(broker, B, { agent: 'agent-b' });
    const shownA = broker.view(A).digest;
    expect(codeOf(() => broker.decide(B, { approve: true }, 'desktop', shownA))).toBe('APPROVAL_MISMATCH');
    expect(codeOf(() => broker.decide(B, { approve: false }, 'desktop', shownA))).toBe('APPROVAL_MISMATCH');
    expect(
      broker
        .pending()
        .map((v) => v.requestId)
        .sort(),
    ).toEqual([A, B]);
  });

  it('refuses a digest of the same request as displayed with another justification, level or expiry', () => {
    const broker = new ApprovalBroker(clock);
    void ask(broker, A);
    const v: ApprovalView = broker.view(A);
    // What a surface showing altered fields would compute; the broker never saw these fields.
    const others = [
      { ...v, justification: 'harmless' },
      { ...v, level: 2 as const },
      { ...v, expiresAt: v.expiresAt + 1000 },
      { ...v, requester: { ...v.requester, id: 'agent-b' } },
    ];
    for (const other of others) {
      const forged = new ApprovalBroker(clock);
      void forged.requestApproval({
        requestId: other.requestId,
        memory: other.memory,
        level: other.level,
        requester: { kind: 'agent', agentId: other.requester.id, name: other.requester.name, maxLevel: 5, namespaces: null },
        justification: other.justification,
        createdAt: other.createdAt,
        expiresAt: other.expiresAt,
        grantAllowed: other.grantAllowed,
        environment: other.environment,
      });
      const shown = forged.view(other.requestId).digest;
      expect(shown).not.toBe(v.digest);
      expect(codeOf(() => broker.decide(A, { approve: true }, 'terminal', shown))).toBe('APPROVAL_MISMATCH');
    }
    expect(codeOf(() => broker.decide(A, { approve: true }, 'terminal', ''))).toBe('APPROVAL_MISMATCH');
    expect(codeOf(() => broker.decide(A, { approve: true }, 'terminal', 'zz'.repeat(32)))).toBe('APPROVAL_MISMATCH');
    expect(broker.view(A).state).toBe('pending');
  });

  it('keeps the existing refusals for unknown and finished requests', () => {
    const broker = new ApprovalBroker(clock);
    void ask(broker, A);
    const d = broker.view(A).digest;
    expect(codeOf(() => broker.decide(B, { approve: true }, 'desktop', d))).toBe('NOT_FOUND');
    broker.decide(A, { approve: false }, 'desktop', d);
    expect(codeOf(() => broker.decide(A, { approve: true }, 'desktop', d))).toBe('INVALID_INPUT');
  });
});
