// Threat: lockdown did not end what was already in motion — a pending level-3 request survived
// it, and a grant minted during lockdown (the owner approved a request that was pending when
// lockdown came on) let the agent recall without asking once lockdown was lifted. Now lockdown
// cancels every pending request (LOCKDOWN, audited approval.cancelled) and deletes every grant
// (audited grant.revoke), no grant is minted while it is on, and delivery re-checks it in the
// transaction that appends the recall's audit leaf.
import { afterEach, describe, expect, it } from 'vitest';
import type { OwnerProof } from '../../src/core/engine/vault-engine.js';
import type { ApprovalGate } from '../../src/core/ports/approval-gate.port.js';
import type { ServerFixture } from '../agent-api/agent-fixture.js';
import { audit, leaked, parked, pendingId, racingApprover, settle, setUp } from './support/access-withdrawal.js';

/** The owner's proof, from the session's owner verifier (the engine refuses a literal). */
const owner = (f: ServerFixture): OwnerProof => f.session.ownerProof();
const ownerRequester = { kind: 'owner', channel: 'cli' } as const;

let fx: ServerFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

describe('lockdown while a level-3 recall is pending', () => {
  it('the running request.wait ends with LOCKDOWN without any owner decision, and the request is cancelled (audited)', async () => {
    const s = await setUp();
    fx = s.fx;
    const requestId = pendingId(await s.agent.client.recall(s.memoryId, 'need the codes'));
    const waiting = settle(s.agent.client.wait(requestId, 20_000));
    await parked(s.agent.client);
    await fx.session.engine.lockdownOn(ownerRequester, 'test');
    const answer = await waiting;
    expect(answer).toMatchObject({ ok: false, code: 'LOCKDOWN', details: { reason: 'lockdown', requestId } });
    expect(leaked(answer)).toBe(false);
    expect(fx.server.broker.view(requestId).state).toBe('cancelled');
    expect(audit(fx)).toContainEqual(
      expect.objectContaining({ kind: 'approval.cancelled', reason: 'lockdown', details: expect.objectContaining({ requestId }) }),
    );
  });

  it('a grant minted before lockdown does not let a recall through after lockdown is lifted', async () => {
    const s = await setUp();
    fx = s.fx;
    const broker = fx.server.broker;
    const first = pendingId(await s.agent.client.recall(s.memoryId, 'first'));
    const waiting = s.agent.client.wait(first, 20_000);
    broker.decide(first, { approve: true, grantMinutes: 30 }, 'terminal', broker.view(first).digest);
    expect(await waiting).toMatchObject({ status: 'ok' });
    // The grant works before lockdown: the next recall is answered at once.
    expect(await s.agent.client.recall(s.memoryId, 'second')).toMatchObject({ status: 'ok' });
    await fx.session.engine.lockdownOn(ownerRequester, 'test');
    await fx.session.engine.lockdownOff(owner(s.fx));
    const third = await s.agent.client.recall(s.memoryId, 'third');
    expect(third.status).toBe('pending');
    expect(leaked(third)).toBe(false);
    expect(fx.session.engine.listGrants()).toEqual([]);
    expect(audit(fx)).toContainEqual(
      expect.objectContaining({ kind: 'grant.revoke', reason: 'lockdown', memory: expect.objectContaining({ id: s.memoryId }) }),
    );
  });

  it('approved with a grant after lockdown came on: refused at delivery with LOCKDOWN, and no grant is minted', async () => {
    const s = await setUp();
    fx = s.fx;
    const engine = fx.session.engine;
    // The race: the owner's approval (with a 30-minute grant) is on its way when lockdown comes on.
    const racing = racingApprover(async () => {
      await engine.lockdownOn(ownerRequester, 'test');
    }, 30);
    engine.setGates({ approvals: racing });
    const requestId = pendingId(await s.agent.client.recall(s.memoryId, 'need the codes'));
    const waiting = settle(s.agent.client.wait(requestId, 20_000));
    await parked(s.agent.client);
    racing.release();
    const answer = await waiting;
    expect(answer).toMatchObject({ ok: false, code: 'LOCKDOWN' });
    expect(leaked(answer)).toBe(false);
    await engine.lockdownOff(owner(s.fx));
    // After lockdown the owner is asked again (here: denies) — no grant carries the recall through.
    let asked = 0;
    const denying: ApprovalGate = { requestApproval: () => (asked++, Promise.resolve({ outcome: 'denied', channel: 'terminal' })) };
    engine.setGates({ approvals: denying });
    const again = await s.agent.client.recall(s.memoryId, 'again');
    expect(again.status).toBe('pending');
    expect(await settle(s.agent.client.wait(pendingId(again), 20_000))).toMatchObject({ ok: false, code: 'APPROVAL_DENIED' });
    expect(asked).toBe(1);
    expect(engine.listGrants()).toEqual([]);
  });
});
