import { describe, expect, it } from 'vitest';
import { randomBytesPooled } from './random.js';

describe('randomBytesPooled', () => {
  it('never hands out the same bytes twice, across pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) seen.add(randomBytesPooled(12).toString('hex'));
    expect(seen.size).toBe(5000);
  });

  it('returns independent copies of the requested length, also above the pool threshold', () => {
    const a = randomBytesPooled(32);
    const b = randomBytesPooled(32);
    a.fill(0);
    expect(b.some((x) => x !== 0)).toBe(true);
    expect(randomBytesPooled(64 * 1024)).toHaveLength(64 * 1024);
  });

  it('is not all zeros (the pool is filled before use)', () => {
    expect(randomBytesPooled(16).equals(Buffer.alloc(16))).toBe(false);
  });
});
