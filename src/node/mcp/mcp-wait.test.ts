import { describe, expect, it } from 'vitest';
import type { RecallAnswer } from '../agent-api/agent-client.js';
import { PROGRESS_EVERY_MS, WAIT_CAP_MS, waitForDecision } from './mcp-wait.js';

const pending: RecallAnswer = { status: 'pending', requestId: 'r', expiresAt: '2026-12-02T00:00:00Z' };

/** A fake vault whose owner approves once `decideAfterMs` of waiting have passed (no real time). */
function vault(decideAfterMs: number): { waits: number[]; wait: (id: string, ms: number) => Promise<RecallAnswer> } {
  let waited = 0;
  const waits: number[] = [];
  return {
    waits,
    wait: (_id, ms) => {
      waits.push(ms);
      waited += ms;
      return Promise.resolve(waited >= decideAfterMs ? { status: 'ok', memory: { id: 'm' } as never, content: 'c' } : pending);
    },
  };
}

describe('waitForDecision', () => {
  it('without a progress token it never waits past the cap and says to call again', async () => {
    const v = vault(70_000);
    const first = await waitForDecision(v, 'r', 300);
    expect(v.waits).toEqual([WAIT_CAP_MS]);
    expect(WAIT_CAP_MS).toBeLessThan(60_000);
    expect(first).toMatchObject({ status: 'pending', requestId: 'r' });
    expect(String(first.next)).toMatch(/request_status again/);
    const second = await waitForDecision(v, 'r', 300);
    expect(second).toMatchObject({ status: 'ok', content: 'c' });
  });

  it('with a progress token it waits the whole time in slices, notifying between them', async () => {
    const v = vault(70_000);
    const notes: number[] = [];
    const r = await waitForDecision(v, 'r', 300, (elapsed) => Promise.resolve(void notes.push(elapsed)));
    expect(r).toMatchObject({ status: 'ok' });
    expect(v.waits.every((w) => w <= PROGRESS_EVERY_MS)).toBe(true);
    expect(notes).toEqual([10_000, 20_000, 30_000, 40_000, 50_000, 60_000]);
  });

  it('a short wait is not stretched', async () => {
    const v = vault(1e9);
    await waitForDecision(v, 'r', 5);
    expect(v.waits).toEqual([5_000]);
  });
});
