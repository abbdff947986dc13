// Stand-alone proof verifiers on plain arrays, written from RFC 9162's verification algorithms
// (not from the prover above), so that a bug in one is caught by the other in the tests.
// Invariant: every input may be hostile; a bad proof returns a failure, it never throws.
import { isUint53 } from './assert.js';
import { isPowerOfTwo, lsb, shr } from './bits.js';
import type { Hash } from './hash.js';
import { HASH_SIZE, equalHashes, hashChildren } from './hash.js';
import type { ProofCheck } from './proof-result.js';
import { PROOF_OK, proofFailed } from './proof-result.js';

/** The root implied by an inclusion proof (RFC 9162 §2.1.3.2 steps 1-4), or a failure. */
export function rootFromInclusionProof(
  leafIndex: number,
  treeSize: number,
  leafHash: Hash,
  proof: readonly Hash[],
): { readonly ok: true; readonly root: Hash } | (ProofCheck & { readonly ok: false }) {
  if (!isUint53(leafIndex) || !isUint53(treeSize)) return { ok: false, reason: 'invalid-input' };
  if (leafIndex >= treeSize) return { ok: false, reason: 'invalid-input' }; // §2.1.3.2 step 1
  if (leafHash.length !== HASH_SIZE || proof.some((p) => p.length !== HASH_SIZE)) return { ok: false, reason: 'malformed-hash' };
  let fn = leafIndex; // §2.1.3.2 step 2
  let sn = treeSize - 1;
  let r = leafHash; // step 3
  for (const p of proof) {
    // step 4
    if (sn === 0) return { ok: false, reason: 'wrong-proof-length' };
    if (lsb(fn) || fn === sn) {
      r = hashChildren(p, r);
      if (!lsb(fn)) {
        while (!lsb(fn) && fn !== 0) {
          fn = shr(fn, 1);
          sn = shr(sn, 1);
        }
      }
    } else {
      r = hashChildren(r, p);
    }
    fn = shr(fn, 1);
    sn = shr(sn, 1);
  }
  if (sn !== 0) return { ok: false, reason: 'wrong-proof-length' }; // step 5
  return { ok: true, root: r };
}

/** RFC 9162 §2.1.3.2: verify that leafHash is at leafIndex in the tree of treeSize with root. */
export function verifyInclusion(leafIndex: number, treeSize: number, leafHash: Hash, proof: readonly Hash[], root: Hash): ProofCheck {
  const run = rootFromInclusionProof(leafIndex, treeSize, leafHash, proof);
  if (!run.ok) return run;
  if (root.length !== HASH_SIZE) return proofFailed('malformed-hash');
  return equalHashes(run.root, root) ? PROOF_OK : proofFailed('root-mismatch'); // step 5
}

/** RFC 9162 §2.1.4.2: verify that the tree (size2, root2) extends the tree (size1, root1). */
export function verifyConsistency(size1: number, size2: number, root1: Hash, root2: Hash, proof: readonly Hash[]): ProofCheck {
  if (!isUint53(size1) || !isUint53(size2) || size2 < size1) return proofFailed('invalid-input');
  if (root1.length !== HASH_SIZE || root2.length !== HASH_SIZE || proof.some((p) => p.length !== HASH_SIZE)) {
    return proofFailed('malformed-hash');
  }
  if (size1 === size2) {
    // Equal sizes: the proof is empty and the roots must be the same tree (RFC 9162 §2.1.4.1).
    if (proof.length !== 0) return proofFailed('wrong-proof-length');
    return equalHashes(root1, root2) ? PROOF_OK : proofFailed('root-mismatch');
  }
  if (size1 === 0) return proof.length === 0 ? PROOF_OK : proofFailed('wrong-proof-length'); // the empty tree is a prefix of all
  if (proof.length === 0) return proofFailed('wrong-proof-length'); // §2.1.4.2 step 1
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : [...proof]; // step 2
  let fn = size1 - 1; // step 3
  let sn = size2 - 1;
  while (lsb(fn)) {
    // step 4
    fn = shr(fn, 1);
    sn = shr(sn, 1);
  }
  let fr = path[0] as Hash; // step 5
  let sr = path[0] as Hash;
  for (const c of path.slice(1)) {
    // step 6
    if (sn === 0) return proofFailed('wrong-proof-length');
    if (lsb(fn) || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      if (!lsb(fn)) {
        while (!lsb(fn) && fn !== 0) {
          fn = shr(fn, 1);
          sn = shr(sn, 1);
        }
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn = shr(fn, 1);
    sn = shr(sn, 1);
  }
  if (sn !== 0) return proofFailed('wrong-proof-length'); // step 7
  return equalHashes(fr, root1) && equalHashes(sr, root2) ? PROOF_OK : proofFailed('root-mismatch');
}
