import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isPowerOfTwo, lsb, maxpow2, shr, trailingZeros } from './bits.js';

describe('bit arithmetic above 32 bits', () => {
  it('agrees with BigInt shifts, LSB and trailing zeros up to 2^53', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 0, max: 60 }), (n, s) => {
        expect(shr(n, s)).toBe(Number(BigInt(n) >> BigInt(s)));
        expect(lsb(n)).toBe((BigInt(n) & 1n) === 1n);
        if (n > 0) expect(trailingZeros(n)).toBe(BigInt(n).toString(2).length - 1 - BigInt(n).toString(2).lastIndexOf('1'));
      }),
    );
  });

  it('maxpow2(n) is the largest power of two strictly below n (RFC 6962 §2.1 "k")', () => {
    expect(maxpow2(2)).toEqual({ k: 1, level: 0 });
    expect(maxpow2(3)).toEqual({ k: 2, level: 1 });
    expect(maxpow2(8)).toEqual({ k: 4, level: 2 });
    expect(maxpow2(9)).toEqual({ k: 8, level: 3 });
    expect(maxpow2(2 ** 52 + 1)).toEqual({ k: 2 ** 52, level: 52 });
  });

  it('recognises powers of two', () => {
    expect([0, 1, 2, 3, 4, 6, 2 ** 52, 2 ** 52 + 2].map(isPowerOfTwo)).toEqual([false, true, true, false, true, false, true, false]);
  });
});
