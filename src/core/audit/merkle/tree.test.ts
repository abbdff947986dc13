import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { MerkleAssertionError } from './assert.js';
import { emptyTreeHash, hashChildren, hashLeaf } from './hash.js';
import type { Hash } from './hash.js';
import { MemoryHashStore } from './memory-hash-store.js';
import { storedHashIndex } from './stored-hash-index.js';
import { storedHashesForRecordHash, treeHash } from './tree.js';

// Naive RFC 6962 §2.1 MTH, written from the RFC text, for differential checks.
function mth(leaves: readonly Hash[]): Hash {
  if (leaves.length === 0) return new Uint8Array(createHash('sha256').digest());
  if (leaves.length === 1) return leaves[0] as Hash;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return hashChildren(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

const leafOf = (i: number): Hash => hashLeaf(new TextEncoder().encode(`event ${i}`));

describe('incremental tree over stored hashes', () => {
  it('matches a naive MTH for every size up to 300', () => {
    const store = new MemoryHashStore();
    const leaves: Hash[] = [];
    expect(treeHash(0, store)).toEqual(emptyTreeHash());
    for (let i = 0; i < 300; i++) {
      leaves.push(leafOf(i));
      store.appendLeafHash(leafOf(i));
      expect(Buffer.from(treeHash(i + 1, store)).toString('hex')).toBe(Buffer.from(mth(leaves)).toString('hex'));
    }
  });

  it('appends with at most log2(n) reads and computes roots with at most 1 + log2(n) reads', () => {
    const store = new MemoryHashStore();
    for (let i = 0; i < 4096; i++) {
      const before = store.reads.length;
      store.appendLeafHash(leafOf(i));
      expect(store.reads.length - before).toBeLessThanOrEqual(Math.max(0, Math.floor(Math.log2(i + 1))));
    }
    for (const n of [1, 2, 3, 1000, 4095, 4096]) {
      const before = store.reads.length;
      treeHash(n, store);
      expect(store.reads.length - before).toBeLessThanOrEqual(1 + Math.ceil(Math.log2(n)));
    }
  });

  it('returns the leaf first, then one hash per completed subtree, to be written from storedHashIndex(0, n)', () => {
    const store = new MemoryHashStore();
    for (let i = 0; i < 3; i++) store.appendLeafHash(leafOf(i));
    const fresh = storedHashesForRecordHash(3, leafOf(3), store);
    expect(fresh).toHaveLength(3); // leaf 3, node (1,1) = leaves 2..3, node (2,0) = leaves 0..3
    expect(fresh[0]).toEqual(leafOf(3));
    expect(fresh[1]).toEqual(hashChildren(leafOf(2), leafOf(3)));
    expect(fresh[2]).toEqual(mth([0, 1, 2, 3].map(leafOf)));
    expect(storedHashIndex(0, 3)).toBe(4);
  });

  it('treats a reader that returns the wrong number of hashes as corruption (throws)', () => {
    const liar = { readHashes: (): Hash[] => [] };
    expect(() => treeHash(2, liar)).toThrow(/readHashes/);
    expect(() => storedHashesForRecordHash(1, leafOf(1), liar)).toThrow(/readHashes/);
  });

  it('asserts on impossible arguments', () => {
    const store = new MemoryHashStore();
    expect(() => treeHash(-1, store)).toThrow(MerkleAssertionError);
    expect(() => storedHashesForRecordHash(0, new Uint8Array(31), store)).toThrow(MerkleAssertionError);
  });
});
