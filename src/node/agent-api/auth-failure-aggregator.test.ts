import { describe, expect, it } from 'vitest';
import type { AuditEventInput } from '../../core/events/audit-event.js';
import { AuthFailureAggregator } from './auth-failure-aggregator.js';

function setup(intervalMs = 60_000) {
  let t = Date.UTC(2030, 0, 1);
  const leaves: AuditEventInput[] = [];
  const agg = new AuthFailureAggregator(
    (e) => {
      leaves.push(e);
      return Promise.resolve();
    },
    { now: () => t },
    intervalMs,
  );
  return { agg, leaves, advance: (ms: number) => void (t += ms) };
}

describe('AuthFailureAggregator', () => {
  it('one refused agent.auth leaf per source per interval, with the count', async () => {
    const { agg, leaves, advance } = setup();
    for (let i = 0; i < 40; i++) agg.note('agent-socket', 'UNAUTHORIZED');
    agg.note('mcp', 'UNAUTHORIZED');
    await agg.flushDue();
    expect(leaves).toHaveLength(0); // the interval has not ended
    advance(60_000);
    await agg.flushDue();
    expect(leaves.map((l) => [l.kind, l.outcome, l.code, l.details?.['source'], l.details?.['count']])).toEqual([
      ['agent.auth', 'refused', 'UNAUTHORIZED', 'agent-socket', 40],
      ['agent.auth', 'refused', 'UNAUTHORIZED', 'mcp', 1],
    ]);
    await agg.flushDue();
    expect(leaves).toHaveLength(2);
  });

  it('a failure after the interval closes the old window first; close writes what is open', async () => {
    const { agg, leaves, advance } = setup();
    agg.note('agent-socket', 'UNAUTHORIZED');
    agg.note('agent-socket', 'UNAUTHORIZED');
    advance(61_000);
    agg.note('agent-socket', 'UNAUTHORIZED');
    expect(leaves.map((l) => l.details?.['count'])).toEqual([2]);
    expect(agg.pending('agent-socket')).toBe(1);
    await agg.stop();
    expect(leaves.map((l) => l.details?.['count'])).toEqual([2, 1]);
    expect(agg.pending('agent-socket')).toBe(0);
  });

  it('a failing append does not throw into the server', async () => {
    const agg = new AuthFailureAggregator(() => Promise.reject(new Error('disk full')), { now: () => 0 }, 10);
    agg.note('agent-socket', 'UNAUTHORIZED');
    await expect(agg.flushAll()).resolves.toBeUndefined();
  });
});
