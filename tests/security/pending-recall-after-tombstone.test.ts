// Threat: an approved recall of a tombstoned memory returned the "shredded" content — the
// pipeline decrypted the row it had read before waiting for the owner. Now tombstoning ends the
// memory's pending requests at once (TOMBSTONED, audited approval.cancelled), and delivery
// re-reads the row inside the transaction that appends the recall's audit leaf, so an approval
// that races the tombstone is refused there and nothing is decrypted.
import { afterEach, describe, expect, it } from 'vitest';
import type { OwnerProof } from '../../src/core/engine/vault-engine.js';
import { shortIdOf } from '../../src/core/model/memory.js';
import type { ServerFixture } from '../agent-api/agent-fixture.js';
import { audit, leaked, parked, pendingId, racingApprover, settle, setUp } from './support/access-withdrawal.js';

/** The owner's proof, from the session's owner verifier (the engine refuses a literal). */
const owner = (f: ServerFixture): OwnerProof => f.session.ownerProof();

let fx: ServerFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

describe('tombstoning a memory while a level-3 recall of it is pending', () => {
  it('the running request.wait ends with TOMBSTONED, never content, and the request is cancelled (audited)', async () => {
    const s = await setUp();
    fx = s.fx;
    const requestId = pendingId(await s.agent.client.recall(s.memoryId, 'need the codes'));
    const waiting = settle(s.agent.client.wait(requestId, 20_000));
    await parked(s.agent.client);
    await fx.session.engine.tombstone({ memoryId: s.memoryId, confirmShortId: shortIdOf(s.memoryId) }, owner(s.fx));
    const answer = await waiting;
    expect(answer).toMatchObject({ ok: false, code: 'TOMBSTONED', details: { reason: 'memory-tombstoned', requestId } });
    expect(leaked(answer)).toBe(false);
    expect(fx.server.broker.view(requestId).state).toBe('cancelled');
    const events = audit(fx);
    expect(events).toContainEqual(
      expect.objectContaining({
        kind: 'approval.cancelled',
        reason: 'memory-tombstoned',
        memory: expect.objectContaining({ id: s.memoryId }),
      }),
    );
    expect(events).toContainEqual(
      expect.objectContaining({
        kind: 'memory.recall',
        outcome: 'refused',
        code: 'TOMBSTONED',
        memory: expect.objectContaining({ id: s.memoryId }),
      }),
    );
  });

  it('approved, but tombstoned between approval and delivery: refused at delivery with TOMBSTONED, nothing decrypted', async () => {
    const s = await setUp();
    fx = s.fx;
    const engine = fx.session.engine;
    const gate = racingApprover(async () => {
      await engine.tombstone({ memoryId: s.memoryId, confirmShortId: shortIdOf(s.memoryId) }, owner(s.fx));
    });
    engine.setGates({ approvals: gate });
    const requestId = pendingId(await s.agent.client.recall(s.memoryId, 'need the codes'));
    const waiting = settle(s.agent.client.wait(requestId, 20_000));
    await parked(s.agent.client);
    gate.release();
    const answer = await waiting;
    expect(answer).toMatchObject({ ok: false, code: 'TOMBSTONED' });
    expect(leaked(answer)).toBe(false);
    const events = audit(fx);
    expect(events).toContainEqual(
      expect.objectContaining({ kind: 'approval.granted', memory: expect.objectContaining({ id: s.memoryId }) }),
    );
    expect(events).toContainEqual(
      expect.objectContaining({
        kind: 'memory.recall',
        outcome: 'refused',
        code: 'TOMBSTONED',
        memory: expect.objectContaining({ id: s.memoryId }),
      }),
    );
    expect(events.filter((e) => e.kind === 'memory.recall' && e.outcome === 'ok' && e.memory?.id === s.memoryId)).toHaveLength(0);
  });

  it("tombstoning deletes the memory's level-3 grants (audited grant.revoke)", async () => {
    const s = await setUp();
    fx = s.fx;
    const requestId = pendingId(await s.agent.client.recall(s.memoryId, 'first'));
    const waiting = s.agent.client.wait(requestId, 20_000);
    fx.server.broker.decide(requestId, { approve: true, grantMinutes: 30 }, 'terminal', fx.server.broker.view(requestId).digest);
    expect(await waiting).toMatchObject({ status: 'ok' });
    expect(fx.session.engine.listGrants()).toHaveLength(1);
    await fx.session.engine.tombstone({ memoryId: s.memoryId, confirmShortId: shortIdOf(s.memoryId) }, owner(s.fx));
    expect(fx.session.engine.listGrants()).toEqual([]);
    expect(audit(fx)).toContainEqual(expect.objectContaining({ kind: 'grant.revoke', reason: 'memory-tombstoned' }));
  });
});
