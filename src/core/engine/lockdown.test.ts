import { describe, expect, it } from 'vitest';
import { AnomalyDetector } from './lockdown.js';

describe('AnomalyDetector', () => {
  it('crosses at maxRefusals within the window, then starts that requester afresh', () => {
    const d = new AnomalyDetector({ maxRefusals: 3, windowMs: 1_000 });
    expect([d.record('agent:a', 0), d.record('agent:a', 10), d.record('agent:b', 20)]).toEqual([false, false, false]);
    expect(d.record('agent:a', 30)).toBe(true);
    // The burst was acted on: the next refusal is the first of a new window.
    expect(d.record('agent:a', 40)).toBe(false);
    // Refusals older than the window do not count.
    expect([d.record('agent:c', 0), d.record('agent:c', 500), d.record('agent:c', 1_600)]).toEqual([false, false, false]);
  });

  it('counts distinct agents suspended within the window', () => {
    const d = new AnomalyDetector({ maxRefusals: 10, windowMs: 1_000 });
    expect(d.recordSuspension('a', 0)).toBe(1);
    expect(d.recordSuspension('a', 100)).toBe(1);
    expect(d.recordSuspension('b', 200)).toBe(2);
    expect(d.recordSuspension('c', 1_150)).toBe(2); // a's suspension left the window
    d.reset();
    expect(d.recordSuspension('d', 1_200)).toBe(1);
    expect(d.describeRule()).toBe('10 refusals within 1 s');
  });
});
