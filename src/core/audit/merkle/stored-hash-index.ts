// The dense linear layout of every hash a log stores, as in Go's golang.org/x/mod/sumdb/tlog
// (after Crosby & Wallach, "Efficient Data Structures for Tamper-Evident Logging", §3.3).
// Invariant: storedHashIndex and splitStoredHashIndex are inverse bijections, and the hashes for
// record n are written at the consecutive indexes storedHashIndex(0, n) .. + 1 + trailingOnes(n),
// so the store appends rows and never updates one.
import { assert, isUint53 } from './assert.js';
import { shr, trailingZeros } from './bits.js';

/** Maps tree coordinates (level, n) — the n-th hash at that level — to its storage index. */
export function storedHashIndex(level: number, n: number): number {
  assert(Number.isInteger(level) && level >= 0 && level < 53 && isUint53(n), 'storedHashIndex: bad coordinates');
  // Level L's n-th hash is written right after level L+1's (2n+1)-th hash: walk down to level 0.
  for (let l = level; l > 0; l--) n = 2 * n + 1;
  // Level 0's n-th hash is written at n + n/2 + n/4 + ... (until n/2^i reaches zero).
  let i = 0;
  for (; n > 0; n = shr(n, 1)) i += n;
  const index = i + level;
  assert(Number.isSafeInteger(index), 'storedHashIndex: index exceeds 2^53');
  return index;
}

/** The inverse of storedHashIndex: splitStoredHashIndex(storedHashIndex(l, n)) = { level: l, n }. */
export function splitStoredHashIndex(index: number): { readonly level: number; readonly n: number } {
  assert(isUint53(index), 'splitStoredHashIndex: bad index');
  // storedHashIndex(0, n) < 2n, so the record that committed this hash is in [index/2, index/2 + log2(index)].
  let n = shr(index, 1);
  let indexN = storedHashIndex(0, n);
  assert(indexN <= index, 'splitStoredHashIndex: bad math');
  for (;;) {
    // Record n adds 1 + trailingZeros(n + 1) hashes.
    const next = indexN + 1 + trailingZeros(n + 1);
    if (next > index) break;
    n++;
    indexN = next;
  }
  // The hash was committed with record n: it is one of (0, n), (1, n/2), (2, n/4), ...
  const level = index - indexN;
  return { level, n: shr(n, level) };
}

/** The number of stored hashes a tree of n records holds (the next free storage index). */
export function storedHashCount(n: number): number {
  assert(isUint53(n), 'storedHashCount: bad size');
  if (n === 0) return 0;
  // The hashes up to the last leaf hash, plus one per subtree that leaf completed.
  return storedHashIndex(0, n - 1) + 1 + trailingZeros(n);
}
