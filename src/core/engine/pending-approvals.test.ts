import { describe, expect, it } from 'vitest';
import { PendingApprovals } from './pending-approvals.js';

describe('PendingApprovals', () => {
  it('hands out at most `max` slots per key, independently per key, and takes each back once', () => {
    const p = new PendingApprovals();
    const held = [p.acquire('a', 2), p.acquire('a', 2)];
    expect(held.every((r) => r !== null)).toBe(true);
    expect(p.acquire('a', 2)).toBeNull();
    expect(p.acquire('b', 2)).not.toBeNull();
    held[0]?.();
    held[0]?.(); // a second release of the same slot changes nothing
    expect(p.count('a')).toBe(1);
    expect(p.acquire('a', 2)).not.toBeNull();
    expect(p.acquire('a', 2)).toBeNull();
  });
});
