// The recall pipeline's delivery re-check (issue 13 deliverable 4): after the owner approved,
// inside the transaction that appends the recall's audit leaf and before decryption, the agent's
// current status and the memory's cooldown are asked again. Each case flips the state from the
// approver, i.e. after approval and before delivery, and expects the exact code, no content,
// and a refused memory.recall in the audit log.
import { afterEach, describe, expect, it } from 'vitest';
import type { MemoryId } from '../../src/core/model/memory.js';
import type { Requester } from '../../src/core/model/requester.js';
import type { ApprovalGate } from '../../src/core/ports/approval-gate.port.js';
import type { RequesterRefusal, RequesterStatusPort } from '../../src/core/ports/requester-status.port.js';
import type { VaultSession } from '../../src/node/vault/vault-session.js';
import { codeOf } from '../support/outcome.js';
import { airGapped, newVault } from '../support/vault-fixture.js';

const owner: Requester = { kind: 'owner', channel: 'cli' };
const agent: Requester = { kind: 'agent', agentId: 'agent-1', name: 'reader', maxLevel: 3, namespaces: null };

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup) c();
  cleanup = [];
});

/** A registry stand-in whose answer the test changes. */
function status(): RequesterStatusPort & { now: RequesterRefusal | null } {
  const s = { now: null as RequesterRefusal | null, check: (r: Requester) => (r.kind === 'agent' ? s.now : null) };
  return s;
}

/** Approves every request after running `flip` (the change that lands between approval and delivery). */
function approvingAfter(flip: () => void): ApprovalGate {
  return {
    requestApproval: () => {
      flip();
      return Promise.resolve({ outcome: 'approved', channel: 'test-owner' });
    },
  };
}

async function vault(gates: NonNullable<NonNullable<Parameters<typeof newVault>[0]>['gates']>): Promise<VaultSession> {
  const v = await newVault({ gates: { environment: airGapped, ...gates } });
  cleanup.push(() => {
    v.session.close();
    v.remove();
  });
  return v.session;
}

function refusedRecalls(s: VaultSession): string[] {
  return s.repo
    .readAuditRecords(0, 10_000)
    .map((r) => JSON.parse(r.json) as { kind: string; outcome: string; code?: string })
    .filter((e) => e.kind === 'memory.recall' && e.outcome === 'refused')
    .map((e) => e.code ?? '');
}

describe('delivery re-check', () => {
  for (const [refusal, code] of [
    ['AGENT_SUSPENDED', 'AGENT_SUSPENDED'],
    ['UNAUTHORIZED', 'UNAUTHORIZED'],
  ] as const) {
    it(`an agent that became ${refusal === 'UNAUTHORIZED' ? 'revoked or expired' : 'suspended'} after approval is refused with ${code}`, async () => {
      const st = status();
      const s = await vault({ requesterStatus: st, approvals: approvingAfter(() => (st.now = refusal)) });
      const m = await s.engine.store({ content: 'sealed', level: 3, title: 't' }, owner);
      expect(await codeOf(s.engine.recall({ memoryId: m.id, justification: 'j' }, agent))).toBe(code);
      expect(refusedRecalls(s)).toEqual([code]);
      // The same agent, valid again, is let through: the check reads current state, not a latch.
      st.now = null;
      s.engine.setGates({ approvals: approvingAfter(() => undefined) });
      expect((await s.engine.recall({ memoryId: m.id, justification: 'j' }, agent)).content.toString()).toBe('sealed');
    });
  }

  it('another delivery that started the cooldown while this recall waited: refused with COOLDOWN at delivery', async () => {
    const target: { session?: VaultSession; memoryId?: string } = {};
    const s = await vault({
      approvals: approvingAfter(() => target.session?.repo.markRecalled((target.memoryId ?? '') as MemoryId, Date.now())),
    });
    const m = await s.engine.store({ content: 'sealed', level: 3, title: 't', cooldownSeconds: 3600 }, owner);
    target.session = s;
    target.memoryId = m.id;
    expect(await codeOf(s.engine.recall({ memoryId: m.id, justification: 'j' }, agent))).toBe('COOLDOWN');
    expect(refusedRecalls(s)).toEqual(['COOLDOWN']);
  });
});
