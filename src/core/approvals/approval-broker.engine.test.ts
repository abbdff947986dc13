// The broker as the engine's approval gate, over the in-memory repository: an owner decision
// reaches the waiting recall, carries the digest of what was shown, and the vault's own
// withdrawal (agent revoked) ends the pending request with its code — each outcome audited.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { VaultEngine } from '../engine/vault-engine.js';
import type { Requester } from '../model/requester.js';
import { InMemoryVaultRepository } from '../testing/in-memory-vault-repository.js';
import { ApprovalBroker } from './approval-broker.js';

const T0 = Date.UTC(2030, 0, 1);
const owner: Requester = { kind: 'owner', channel: 'cli' };
const agent: Requester = { kind: 'agent', agentId: 'agent-a', name: 'a', maxLevel: 3, namespaces: null };

let engines: VaultEngine[] = [];
afterEach(() => {
  engines.forEach((e) => e.close());
  engines = [];
});

async function setup() {
  const repo = new InMemoryVaultRepository();
  const clock = { now: () => T0 };
  const broker = new ApprovalBroker(clock);
  const engine = new VaultEngine({
    repo,
    vaultId: 'vault-test',
    profileId: 'p1',
    profileKey: randomBytes(32),
    clock,
    gates: { approvals: broker },
  });
  engines.push(engine);
  const memory = await engine.store({ content: 'the safe opens with 31-7-22', level: 3, title: 'safe' }, owner);
  /** Starts an agent recall and resolves with its pending request id once the broker holds it. */
  const ask = () => {
    let requested: (id: string) => void = () => undefined;
    const requestId = new Promise<string>((r) => (requested = r));
    const recall = engine.recall({ memoryId: memory.id, justification: 'open the safe' }, agent, {
      onApprovalRequested: (id) => requested(id),
    });
    return { recall, requestId };
  };
  const lastRecallLeaf = () => repo.queryAudit({ kind: 'memory.recall', limit: 1000 }).at(-1);
  return { engine, broker, ask, lastRecallLeaf };
}

describe('ApprovalBroker as the engine gate', () => {
  it('an approval with the shown digest delivers the recall, and its leaf names the owner channel', async () => {
    const { broker, ask, lastRecallLeaf } = await setup();
    const { recall, requestId } = ask();
    const id = await requestId;
    const view = broker.view(id);
    expect(view).toMatchObject({ state: 'pending', level: 3, requester: { type: 'agent', id: 'agent-a' } });
    expect(JSON.stringify(view)).not.toContain('31-7-22');
    broker.decide(id, { approve: true }, 'desktop', view.digest);
    expect((await recall).content.toString()).toBe('the safe opens with 31-7-22');
    expect(lastRecallLeaf()?.json).toContain('"outcome":"ok"');
    expect(lastRecallLeaf()?.json).toContain('desktop');
  });

  it('a decision about another digest is APPROVAL_MISMATCH and decides nothing; a denial is APPROVAL_DENIED', async () => {
    const { broker, ask, lastRecallLeaf } = await setup();
    const { recall, requestId } = ask();
    const id = await requestId;
    expect(() => broker.decide(id, { approve: true }, 'desktop', '0'.repeat(64))).toThrow(
      expect.objectContaining({ code: 'APPROVAL_MISMATCH' }),
    );
    expect(broker.view(id).state).toBe('pending');
    broker.decide(id, { approve: false }, 'desktop', broker.view(id).digest);
    await expect(recall).rejects.toMatchObject({ code: 'APPROVAL_DENIED' });
    expect(lastRecallLeaf()?.json).not.toContain('"outcome":"ok"');
  });

  it('revoking the agent while it waits cancels the request: UNAUTHORIZED, audited, nothing delivered', async () => {
    const { engine, broker, ask, lastRecallLeaf } = await setup();
    const { recall, requestId } = ask();
    const id = await requestId;
    const { cancelled } = await engine.onRequesterRevoked('agent-a');
    expect(cancelled).toBe(1);
    expect(broker.view(id).state).toBe('cancelled');
    await expect(recall).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(lastRecallLeaf()?.json).not.toContain('"outcome":"ok"');
  });
});
