// Incremental tree construction over stored hashes (Go sumdb/tlog StoredHashesForRecordHash and
// TreeHash). Invariant: appending record n reads at most log2(n) earlier hashes and writes
// 1 + trailingOnes(n) new ones; computing a root reads at most 1 + log2(n). Nothing is rebuilt.
import { assert, isUint53 } from './assert.js';
import { maxpow2, shr, trailingZeros } from './bits.js';
import type { Hash } from './hash.js';
import { HASH_SIZE, emptyTreeHash, hashChildren } from './hash.js';
import type { HashReader } from './hash-reader.port.js';
import { storedHashIndex } from './stored-hash-index.js';

/** Reads exactly indexes.length 32-byte hashes, or throws: a short read is storage corruption. */
export function readExactly(reader: HashReader, indexes: readonly number[]): Hash[] {
  if (indexes.length === 0) return [];
  const hashes = reader.readHashes(indexes);
  if (hashes.length !== indexes.length || hashes.some((h) => h.length !== HASH_SIZE)) {
    throw new Error(`tlog: readHashes(${indexes.length} indexes) returned ${hashes.length} or malformed hashes`);
  }
  return hashes;
}

/**
 * The hashes to store when appending record n with leaf hash leafHash, to be written at storage
 * indexes storedHashIndex(0, n), storedHashIndex(0, n) + 1, ... (consecutive). The first is the
 * leaf hash itself; each further one completes a subtree (RFC 6962 §2.1 MTH of a 2^k block).
 */
export function storedHashesForRecordHash(n: number, leafHash: Hash, reader: HashReader): Hash[] {
  assert(isUint53(n) && leafHash.length === HASH_SIZE, 'storedHashesForRecordHash: bad arguments');
  // Each trailing 1 bit of n completes a subtree and consumes the hash of its left sibling.
  const m = trailingZeros(n + 1);
  const indexes: number[] = new Array<number>(m);
  for (let i = 0; i < m; i++) indexes[m - 1 - i] = storedHashIndex(i, shr(n, i) - 1); // sorted increasing
  const old = readExactly(reader, indexes);
  const hashes: Hash[] = [leafHash];
  let h = leafHash;
  for (let i = 0; i < m; i++) {
    h = hashChildren(old[m - 1 - i] as Hash, h); // RFC 6962 §2.1: MTH(D[n]) = HASH(0x01 || MTH(left) || MTH(right))
    hashes.push(h);
  }
  return hashes;
}

/** Storage indexes of the maximal complete subtrees covering records [lo, hi), left to right. */
export function subTreeIndex(lo: number, hi: number, need: number[]): number[] {
  while (lo < hi) {
    const { k, level } = maxpow2(hi - lo + 1); // largest 2^level <= hi - lo
    assert(lo % k === 0, 'tlog: bad math in subTreeIndex');
    need.push(storedHashIndex(level, shr(lo, level)));
    lo += k;
  }
  return need;
}

/**
 * The hash of records [lo, hi) from the hashes subTreeIndex(lo, hi) named, consuming them from
 * hashes starting at offset; returns the hash and the next unread offset.
 */
export function subTreeHash(lo: number, hi: number, hashes: readonly Hash[], offset: number): { hash: Hash; next: number } {
  let numTree = 0;
  for (let x = lo; x < hi; numTree++) x += maxpow2(hi - x + 1).k;
  assert(numTree > 0 && hashes.length - offset >= numTree, 'tlog: bad index math in subTreeHash');
  // RFC 6962 §2.1: the right fringe folds right-to-left into its left neighbours.
  let h = hashes[offset + numTree - 1] as Hash;
  for (let i = numTree - 2; i >= 0; i--) h = hashChildren(hashes[offset + i] as Hash, h);
  return { hash: h, next: offset + numTree };
}

/** MTH(D[0:n]) — RFC 6962 §2.1 — from stored hashes, with one read of at most 1 + log2(n) hashes. */
export function treeHash(n: number, reader: HashReader): Hash {
  assert(isUint53(n), 'treeHash: bad size');
  if (n === 0) return emptyTreeHash(); // RFC 9162 §2.1.1: MTH({}) = HASH()
  const indexes = subTreeIndex(0, n, []);
  const hashes = readExactly(reader, indexes);
  const { hash, next } = subTreeHash(0, n, hashes, 0);
  assert(next === hashes.length, 'tlog: bad index math in treeHash');
  return hash;
}
