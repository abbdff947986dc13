// Threat: an agent (or anything that can reach agent.sock) guesses tokens. Before, failed
// auth.login attempts left no leaf at all, so the owner could not see a guessing run; one leaf
// per attempt would let the same client grow the log without bound. Now: one refused
// `agent.auth` leaf per source per interval, carrying the count, never the presented token.
import { afterEach, describe, expect, it } from 'vitest';
import { AgentClient } from '../../src/node/agent-api/agent-client.js';
import { codeOf, startServerFixture, type ServerFixture } from '../agent-api/agent-fixture.js';
import { auditEvents } from '../hardware/support.js';

let fx: ServerFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

describe('failed agent logins are audited, aggregated', () => {
  it('25 wrong tokens → UNAUTHORIZED each, and one agent.auth leaf with count 25 and no token', async () => {
    fx = await startServerFixture();
    const guesses = Array.from({ length: 25 }, (_, i) => `mvt_guess${String(i).padStart(4, '0')}AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`);
    for (const token of guesses) {
      expect(await codeOf(AgentClient.connect({ socketPath: fx.server.agentSocket, token }))).toBe('UNAUTHORIZED');
    }
    // A valid login is not counted.
    await fx.agent('real', 1);
    expect(auditEvents(fx.session, 'agent.auth')).toHaveLength(0); // still inside the interval
    const session = fx.session;
    await fx.server.close(); // closing writes the open interval
    const leaves = auditEvents(session, 'agent.auth');
    expect(leaves).toHaveLength(1);
    expect(leaves[0]).toMatchObject({ outcome: 'refused', code: 'UNAUTHORIZED', details: { source: 'agent-socket', count: 25 } });
    expect(JSON.stringify(leaves)).not.toContain('mvt_guess');
  });
});

describe('throttled requests are audited, aggregated', () => {
  it('calls refused with RATE_LIMITED leave one agent.throttle leaf per source with the count', async () => {
    fx = await startServerFixture({
      limits: { perConnection: { ratePerSecond: 1_000, burst: 1_000 }, perAgent: { ratePerSecond: 0.001, burst: 3 } },
    });
    const { client, id } = await fx.agent('flood', 1);
    const codes: string[] = [];
    for (let i = 0; i < 10; i++) codes.push(await codeOf(client.health()));
    const refused = codes.filter((c) => c === 'RATE_LIMITED').length;
    expect(refused).toBeGreaterThanOrEqual(5);
    expect(auditEvents(fx.session, 'agent.throttle')).toHaveLength(0); // still inside the interval
    const session = fx.session;
    await fx.server.close();
    const leaves = auditEvents(session, 'agent.throttle');
    expect(leaves).toHaveLength(1);
    expect(leaves[0]).toMatchObject({ outcome: 'refused', code: 'RATE_LIMITED', details: { source: `agent:${id}`, count: refused } });
  });
});
