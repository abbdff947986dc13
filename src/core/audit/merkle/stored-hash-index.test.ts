import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MerkleAssertionError } from './assert.js';
import { splitStoredHashIndex, storedHashCount, storedHashIndex } from './stored-hash-index.js';

describe('storedHashIndex', () => {
  it('lays out the first records as Go sumdb/tlog does (leaf, then each completed subtree)', () => {
    // Record 0: leaf(0)@0. Record 1: leaf(1)@1, node(1,0)@2. Record 2: leaf(2)@3.
    // Record 3: leaf(3)@4, node(1,1)@5, node(2,0)@6 — see Go tlog.go's StoredHashIndex comment.
    expect([storedHashIndex(0, 0), storedHashIndex(0, 1), storedHashIndex(1, 0), storedHashIndex(0, 2)]).toEqual([0, 1, 2, 3]);
    expect([storedHashIndex(0, 3), storedHashIndex(1, 1), storedHashIndex(2, 0)]).toEqual([4, 5, 6]);
  });

  it('is a bijection with splitStoredHashIndex over the first 20 000 indexes', () => {
    for (let index = 0; index < 20_000; index++) {
      const { level, n } = splitStoredHashIndex(index);
      expect(storedHashIndex(level, n)).toBe(index);
    }
  });

  it('round-trips random coordinates in trees of up to 2^45 records', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 2 ** 45 }), (level, raw) => {
        const n = Math.floor(raw / 2 ** level); // the n-th hash at `level` exists once 2^level * (n + 1) records do
        expect(splitStoredHashIndex(storedHashIndex(level, n))).toEqual({ level, n });
      }),
    );
  });

  it('storedHashCount(n) is where record n starts writing', () => {
    for (let n = 0; n < 5000; n++) expect(storedHashCount(n)).toBe(storedHashIndex(0, n));
  });

  it('throws an assertion, not a result, on impossible coordinates', () => {
    expect(() => storedHashIndex(-1, 0)).toThrow(MerkleAssertionError);
    expect(() => storedHashIndex(0, 1.5)).toThrow(MerkleAssertionError);
    expect(() => splitStoredHashIndex(-3)).toThrow(MerkleAssertionError);
    expect(() => storedHashCount(Number.MAX_SAFE_INTEGER + 1)).toThrow(MerkleAssertionError);
  });
});
