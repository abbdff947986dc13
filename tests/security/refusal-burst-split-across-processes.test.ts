// Threat: the anomaly rule (10 refusals within 60 s) was counted in the memory of one engine, and
// every CLI invocation is a new engine. A requester probing from a fresh process each time — ten
// `memory-vault` runs, or a script that reconnects between guesses — never tripped it. Now a new
// engine replays the window from the audit log (core/engine/anomaly-replay.ts). Each "process"
// here is a real close and re-unlock of the same vault directory.
import { afterEach, describe, expect, it } from 'vitest';
import type { Requester } from '../../src/core/model/requester.js';
import type { VaultSession } from '../../src/node/vault/vault-session.js';
import { newVault, reopen } from '../support/vault-fixture.js';

const owner: Requester = { kind: 'owner', channel: 'cli' };
const prober: Requester = { kind: 'agent', agentId: 'agent-prober', name: 'prober', maxLevel: 1, namespaces: null };

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

async function refusedRecall(session: VaultSession, memoryId: string): Promise<string> {
  try {
    await session.engine.recall({ memoryId, justification: 'probe' }, prober);
    return 'DELIVERED';
  } catch (e) {
    return typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : 'THREW';
  }
}

function leaves(session: VaultSession): { kind: string; actor: { id: string }; outcome: string }[] {
  return session.repo
    .readAuditRecords(0, 100_000)
    .map((r) => JSON.parse(r.json) as { kind: string; actor: { id: string }; outcome: string });
}

describe('refusals spread over processes', () => {
  it('ten refused recalls from ten separate sessions trip the anomaly rule (lockdown with no agent registry to suspend in)', async () => {
    const v = await newVault();
    let session = v.session;
    cleanup = () => {
      session.close();
      v.remove();
    };
    const secret = await session.engine.store({ content: 'level two', level: 2, title: 'above the prober' }, owner);
    session.close();

    for (let i = 1; i <= 10; i++) {
      session = await reopen(v.dir);
      expect(await refusedRecall(session, secret.id)).toBe('FORBIDDEN');
      if (i < 10) {
        expect(session.engine.lockdownStatus().on, `after refusal ${i}`).toBe(false);
        session.close();
      }
    }
    // The tenth refusal, in its own process, completed the burst.
    expect(session.engine.lockdownStatus()).toMatchObject({ on: true, by: 'anomaly' });
    expect(await refusedRecall(session, secret.id)).toBe('LOCKDOWN');
    const on = leaves(session).filter((l) => l.kind === 'lockdown.on');
    expect(on).toHaveLength(1);
    expect(on[0]?.actor.id).toBe('anomaly-detector');
  });

  it('lifting lockdown clears the replayed count: the next process starts from zero', async () => {
    const v = await newVault();
    let session = v.session;
    cleanup = () => {
      session.close();
      v.remove();
    };
    const secret = await session.engine.store({ content: 'level two', level: 2, title: 'above the prober' }, owner);
    for (let i = 0; i < 9; i++) expect(await refusedRecall(session, secret.id)).toBe('FORBIDDEN');
    await session.engine.lockdownOn(owner, 'owner pressed it');
    await session.engine.lockdownOff(session.ownerProof());
    session.close();

    session = await reopen(v.dir);
    expect(await refusedRecall(session, secret.id)).toBe('FORBIDDEN');
    expect(session.engine.lockdownStatus().on).toBe(false);
  });
});
