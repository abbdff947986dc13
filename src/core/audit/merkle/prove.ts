// Inclusion ("record") and consistency ("tree") proofs over stored hashes, proving and checking in
// symmetric pairs, after Go's golang.org/x/mod/sumdb/tlog so its CheckRecord/CheckTree accept ours.
// Invariant: proving reads at most O(log n) stored hashes in one call; checking reads none.
import { assert, isUint53 } from './assert.js';
import { maxpow2 } from './bits.js';
import type { Hash } from './hash.js';
import { HASH_SIZE, equalHashes, hashChildren } from './hash.js';
import type { HashReader } from './hash-reader.port.js';
import type { ProofCheck } from './proof-result.js';
import { PROOF_OK, proofFailed } from './proof-result.js';
import { readExactly, subTreeHash, subTreeIndex } from './tree.js';

/** The Merkle audit path (RFC 6962 §2.1.1, RFC 9162 §2.1.3.1) for record n in the tree of size t. */
export function proveRecord(t: number, n: number, reader: HashReader): Hash[] {
  assert(isUint53(t) && isUint53(n) && n < t, 'proveRecord: need 0 <= n < t');
  const indexes = leafProofIndex(0, t, n, []);
  const hashes = readExactly(reader, indexes);
  const { proof, next } = leafProof(0, t, n, hashes, 0);
  assert(next === hashes.length, 'tlog: bad index math in proveRecord');
  return proof;
}

function leafProofIndex(lo: number, hi: number, n: number, need: number[]): number[] {
  assert(lo <= n && n < hi, 'tlog: bad math in leafProofIndex');
  if (lo + 1 === hi) return need;
  const { k } = maxpow2(hi - lo);
  if (n < lo + k) {
    leafProofIndex(lo, lo + k, n, need);
    subTreeIndex(lo + k, hi, need);
  } else {
    subTreeIndex(lo, lo + k, need);
    leafProofIndex(lo + k, hi, n, need);
  }
  return need;
}

// RFC 6962 §2.1.1: PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n]) for m < k, else PATH(m - k, D[k:n]) : MTH(D[0:k]).
function leafProof(lo: number, hi: number, n: number, hashes: readonly Hash[], at: number): { proof: Hash[]; next: number } {
  assert(lo <= n && n < hi, 'tlog: bad math in leafProof');
  if (lo + 1 === hi) return { proof: [], next: at }; // the verifier knows the leaf hash
  const { k } = maxpow2(hi - lo);
  if (n < lo + k) {
    const left = leafProof(lo, lo + k, n, hashes, at);
    const right = subTreeHash(lo + k, hi, hashes, left.next);
    return { proof: [...left.proof, right.hash], next: right.next };
  }
  const left = subTreeHash(lo, lo + k, hashes, at);
  const right = leafProof(lo + k, hi, n, hashes, left.next);
  return { proof: [...right.proof, left.hash], next: right.next };
}

/** Whether proof shows that the tree of size t with root th has record n with leaf hash h. */
export function checkRecord(proof: readonly Hash[], t: number, th: Hash, n: number, h: Hash): ProofCheck {
  if (!isUint53(t) || !isUint53(n) || n >= t) return proofFailed('invalid-input');
  if (th.length !== HASH_SIZE || h.length !== HASH_SIZE || proof.some((p) => p.length !== HASH_SIZE)) {
    return proofFailed('malformed-hash');
  }
  const root = runRecordProof(proof, proof.length, 0, t, n, h);
  if (root === undefined) return proofFailed('wrong-proof-length');
  return equalHashes(root, th) ? PROOF_OK : proofFailed('root-mismatch');
}

// Runs proof[0:len] for leaf n within [lo, hi), returning the implied subtree hash.
function runRecordProof(proof: readonly Hash[], len: number, lo: number, hi: number, n: number, leaf: Hash): Hash | undefined {
  if (lo + 1 === hi) return len === 0 ? leaf : undefined; // no unnecessary hashes allowed
  if (len === 0) return undefined;
  const last = proof[len - 1] as Hash;
  const { k } = maxpow2(hi - lo);
  if (n < lo + k) {
    const th = runRecordProof(proof, len - 1, lo, lo + k, n, leaf);
    return th === undefined ? undefined : hashChildren(th, last);
  }
  const th = runRecordProof(proof, len - 1, lo + k, hi, n, leaf);
  return th === undefined ? undefined : hashChildren(last, th);
}

/** The consistency proof (RFC 6962 §2.1.2, RFC 9162 §2.1.4.1) that tree t extends tree n, 1 <= n <= t. */
export function proveTree(t: number, n: number, reader: HashReader): Hash[] {
  assert(isUint53(t) && isUint53(n) && n >= 1 && n <= t, 'proveTree: need 1 <= n <= t');
  const indexes = treeProofIndex(0, t, n, []);
  const hashes = readExactly(reader, indexes);
  const { proof, next } = treeProof(0, t, n, hashes, 0);
  assert(next === hashes.length, 'tlog: bad index math in proveTree');
  return proof;
}

function treeProofIndex(lo: number, hi: number, n: number, need: number[]): number[] {
  assert(lo < n && n <= hi, 'tlog: bad math in treeProofIndex');
  if (n === hi) return lo === 0 ? need : subTreeIndex(lo, hi, need);
  const { k } = maxpow2(hi - lo);
  if (n <= lo + k) {
    treeProofIndex(lo, lo + k, n, need);
    subTreeIndex(lo + k, hi, need);
  } else {
    subTreeIndex(lo, lo + k, need);
    treeProofIndex(lo + k, hi, n, need);
  }
  return need;
}

// RFC 6962 §2.1.2 SUBPROOF(m, D[n], b): the old tree's hash is omitted when it is the whole old tree.
function treeProof(lo: number, hi: number, n: number, hashes: readonly Hash[], at: number): { proof: Hash[]; next: number } {
  assert(lo < n && n <= hi, 'tlog: bad math in treeProof');
  if (n === hi) {
    if (lo === 0) return { proof: [], next: at };
    const sub = subTreeHash(lo, hi, hashes, at);
    return { proof: [sub.hash], next: sub.next };
  }
  const { k } = maxpow2(hi - lo);
  if (n <= lo + k) {
    const left = treeProof(lo, lo + k, n, hashes, at);
    const right = subTreeHash(lo + k, hi, hashes, left.next);
    return { proof: [...left.proof, right.hash], next: right.next };
  }
  const left = subTreeHash(lo, lo + k, hashes, at);
  const right = treeProof(lo + k, hi, n, hashes, left.next);
  return { proof: [...right.proof, left.hash], next: right.next };
}

/** Whether proof shows that the tree of size t with root th contains as a prefix the tree of size n with root h. */
export function checkTree(proof: readonly Hash[], t: number, th: Hash, n: number, h: Hash): ProofCheck {
  if (!isUint53(t) || !isUint53(n) || n < 1 || n > t) return proofFailed('invalid-input');
  if (th.length !== HASH_SIZE || h.length !== HASH_SIZE || proof.some((p) => p.length !== HASH_SIZE)) {
    return proofFailed('malformed-hash');
  }
  const run = runTreeProof(proof, proof.length, 0, t, n, h);
  if (run === undefined) return proofFailed('wrong-proof-length');
  return equalHashes(run.th, th) && equalHashes(run.oh, h) ? PROOF_OK : proofFailed('root-mismatch');
}

// Runs proof[0:len] for [lo, hi), returning the implied hashes of that subtree in the old and new trees.
function runTreeProof(
  proof: readonly Hash[],
  len: number,
  lo: number,
  hi: number,
  n: number,
  old: Hash,
): { oh: Hash; th: Hash } | undefined {
  if (n === hi) {
    if (lo === 0) return len === 0 ? { oh: old, th: old } : undefined;
    if (len !== 1) return undefined;
    const p = proof[0] as Hash;
    return { oh: p, th: p };
  }
  if (len === 0) return undefined;
  const last = proof[len - 1] as Hash;
  const { k } = maxpow2(hi - lo);
  if (n <= lo + k) {
    const sub = runTreeProof(proof, len - 1, lo, lo + k, n, old);
    return sub === undefined ? undefined : { oh: sub.oh, th: hashChildren(sub.th, last) };
  }
  const sub = runTreeProof(proof, len - 1, lo + k, hi, n, old);
  return sub === undefined ? undefined : { oh: hashChildren(last, sub.oh), th: hashChildren(last, sub.th) };
}
