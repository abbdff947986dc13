// Threat: revoking an agent's token did not stop delivery of a level-3 recall that was already
// waiting for the owner — the revoked agent's running request.wait still returned the content.
// Now revocation ends the agent's pending requests at once (UNAUTHORIZED, details.reason
// 'agent-revoked', audited approval.cancelled), and delivery re-checks the agent registry inside
// the transaction that appends the recall's audit leaf, so an approval that races the revocation
// is refused there too.
import { afterEach, describe, expect, it } from 'vitest';
import { DesktopAgents } from '../../src/main/services/desktop-agents.js';
import type { ServerFixture } from '../agent-api/agent-fixture.js';
import { audit, leaked, parked, pendingId, racingApprover, settle, setUp } from './support/access-withdrawal.js';

let fx: ServerFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

describe('revoking an agent while its level-3 recall is pending', () => {
  it("the agent's running request.wait ends with UNAUTHORIZED, never content, and the request is cancelled (audited)", async () => {
    const s = await setUp();
    fx = s.fx;
    const requestId = pendingId(await s.agent.client.recall(s.memoryId, 'need the codes'));
    // The wait is in flight before the revocation: it must end without any owner decision.
    const waiting = settle(s.agent.client.wait(requestId, 20_000));
    await parked(s.agent.client);
    await new DesktopAgents(fx.session, fx.server.registry, Date.now).revoke(s.agent.id);
    const answer = await waiting;
    expect(answer).toMatchObject({ ok: false, code: 'UNAUTHORIZED', details: { reason: 'agent-revoked', requestId } });
    expect(leaked(answer)).toBe(false);
    expect(fx.server.broker.view(requestId).state).toBe('cancelled');
    // The owner can no longer approve it.
    const view = fx.server.broker.view(requestId);
    expect(() => fx?.server.broker.decide(requestId, { approve: true }, 'terminal', view.digest)).toThrow();
    const events = audit(fx);
    expect(events).toContainEqual(
      expect.objectContaining({
        kind: 'approval.cancelled',
        reason: 'agent-revoked',
        details: expect.objectContaining({ requestId, reason: 'agent-revoked' }),
      }),
    );
    expect(events).toContainEqual(
      expect.objectContaining({
        kind: 'memory.recall',
        outcome: 'refused',
        code: 'UNAUTHORIZED',
        memory: expect.objectContaining({ id: s.memoryId }),
      }),
    );
    expect(events.filter((e) => e.kind === 'memory.recall' && e.outcome === 'ok' && e.memory?.id === s.memoryId)).toHaveLength(0);
  });

  it('approved, but the token was revoked between approval and delivery: refused at delivery with UNAUTHORIZED', async () => {
    const s = await setUp();
    fx = s.fx;
    const registry = fx.server.registry;
    // The race: the revocation lands after the owner's approval is on its way, so no pending
    // request is left for the broker to cancel — only the delivery re-check can stop it.
    const gate = racingApprover(() => void registry.revoke(s.agent.id));
    fx.session.engine.setGates({ approvals: gate });
    const requestId = pendingId(await s.agent.client.recall(s.memoryId, 'need the codes'));
    const waiting = settle(s.agent.client.wait(requestId, 20_000));
    await parked(s.agent.client);
    gate.release();
    const answer = await waiting;
    expect(answer).toMatchObject({ ok: false, code: 'UNAUTHORIZED' });
    expect(leaked(answer)).toBe(false);
    const events = audit(fx);
    // Refused by the pipeline at delivery (a refused memory.recall with the code), not merely by the socket.
    expect(events).toContainEqual(expect.objectContaining({ kind: 'approval.granted' }));
    expect(events).toContainEqual(
      expect.objectContaining({
        kind: 'memory.recall',
        outcome: 'refused',
        code: 'UNAUTHORIZED',
        memory: expect.objectContaining({ id: s.memoryId }),
      }),
    );
    expect(events.filter((e) => e.kind === 'memory.recall' && e.outcome === 'ok' && e.memory?.id === s.memoryId)).toHaveLength(0);
  });

  it("revocation deletes the agent's level-3 grants (audited grant.revoke)", async () => {
    const s = await setUp();
    fx = s.fx;
    const requestId = pendingId(await s.agent.client.recall(s.memoryId, 'first'));
    const waiting = s.agent.client.wait(requestId, 20_000);
    fx.server.broker.decide(requestId, { approve: true, grantMinutes: 30 }, 'terminal', fx.server.broker.view(requestId).digest);
    expect(await waiting).toMatchObject({ status: 'ok' });
    expect(fx.session.engine.listGrants()).toHaveLength(1);
    await new DesktopAgents(fx.session, fx.server.registry, Date.now).revoke(s.agent.id);
    expect(fx.session.engine.listGrants()).toEqual([]);
    expect(audit(fx)).toContainEqual(
      expect.objectContaining({ kind: 'grant.revoke', reason: 'agent-revoked', memory: expect.objectContaining({ id: s.memoryId }) }),
    );
  });
});
