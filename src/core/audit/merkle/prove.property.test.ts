// Property and differential tests: our provers against a naive RFC 6962 §2.1 implementation
// written here from the RFC text, and both checkers (Go-style and RFC 9162-style) against
// deliberately broken probes.
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hashChildren, hashLeaf } from './hash.js';
import type { Hash } from './hash.js';
import { MemoryHashStore } from './memory-hash-store.js';
import { checkRecord, checkTree, proveRecord, proveTree } from './prove.js';
import { treeHash } from './tree.js';
import { verifyConsistency, verifyInclusion } from './verify.js';

const MAX = 3000;
const leaves: Hash[] = [];
const store = new MemoryHashStore();

const largestPow2Below = (n: number): number => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};

// RFC 6962 §2.1: MTH(D[n]).
function mth(d: readonly Hash[]): Hash {
  if (d.length === 1) return d[0] as Hash;
  const k = largestPow2Below(d.length);
  return hashChildren(mth(d.slice(0, k)), mth(d.slice(k)));
}

// RFC 6962 §2.1.1: PATH(m, D[n]).
function path(m: number, d: readonly Hash[]): Hash[] {
  if (d.length === 1) return [];
  const k = largestPow2Below(d.length);
  return m < k ? [...path(m, d.slice(0, k)), mth(d.slice(k))] : [...path(m - k, d.slice(k)), mth(d.slice(0, k))];
}

// RFC 6962 §2.1.2: PROOF(m, D[n]) = SUBPROOF(m, D[n], true).
function subproof(m: number, d: readonly Hash[], b: boolean): Hash[] {
  if (m === d.length) return b ? [] : [mth(d)];
  const k = largestPow2Below(d.length);
  return m <= k ? [...subproof(m, d.slice(0, k), b), mth(d.slice(k))] : [...subproof(m - k, d.slice(k), false), mth(d.slice(0, k))];
}

// The shape of those recursions (which side each proof hash sits on). A checker must accept a
// probe exactly when its shape equals the honest one: same shape means the same computation.
function pathShape(m: number, n: number): string {
  if (n === 1) return '';
  const k = largestPow2Below(n);
  return m < k ? `${pathShape(m, k)}R` : `${pathShape(m - k, n - k)}L`;
}
function proofShape(m: number, n: number, b: boolean): string {
  if (m === n) return b ? '' : 'S';
  const k = largestPow2Below(n);
  return m <= k ? `${proofShape(m, k, b)}R` : `${proofShape(m - k, n - k, false)}L`;
}

const hex = (hs: readonly Hash[]): string[] => hs.map((h) => Buffer.from(h).toString('hex'));
const flip = (h: Hash, byte: number): Hash => {
  const c = new Uint8Array(h);
  c[byte % c.length] = (c[byte % c.length] as number) ^ 0x01;
  return c;
};

beforeAll(() => {
  for (let i = 0; i < MAX; i++) {
    const leaf = hashLeaf(new TextEncoder().encode(`leaf ${i}`));
    leaves.push(leaf);
    store.appendLeafHash(leaf);
  }
});

const treeAndIndex = fc.integer({ min: 1, max: MAX }).chain((t) => fc.tuple(fc.constant(t), fc.integer({ min: 0, max: t - 1 })));
const twoSizes = fc.integer({ min: 1, max: MAX }).chain((t) => fc.tuple(fc.constant(t), fc.integer({ min: 1, max: t })));

describe('inclusion proofs', () => {
  it('equal the naive RFC 6962 PATH and verify with both checkers', () => {
    fc.assert(
      fc.property(treeAndIndex, ([t, n]) => {
        const proof = proveRecord(t, n, store);
        const root = treeHash(t, store);
        expect(hex(proof)).toEqual(hex(path(n, leaves.slice(0, t))));
        expect(hex([root])).toEqual(hex([mth(leaves.slice(0, t))]));
        expect(checkRecord(proof, t, root, n, leaves[n] as Hash)).toEqual({ ok: true });
        expect(verifyInclusion(n, t, leaves[n] as Hash, proof, root)).toEqual({ ok: true });
      }),
      { numRuns: 60 },
    );
  });

  it('fail when any hash is altered, or a hash is added or removed', () => {
    fc.assert(
      fc.property(treeAndIndex, fc.nat(), fc.nat(31), ([t, n], which, byte) => {
        const proof = proveRecord(t, n, store);
        const root = treeHash(t, store);
        const leaf = leaves[n] as Hash;
        const probes: [Hash[], Hash, Hash][] = [
          [proof, flip(root, byte), leaf],
          [proof, root, flip(leaf, byte)],
          [[...proof, root], root, leaf],
          [[leaf, ...proof], root, leaf],
        ];
        if (proof.length > 0) {
          const i = which % proof.length;
          probes.push([proof.map((h, j) => (j === i ? flip(h, byte) : h)), root, leaf], [proof.slice(0, -1), root, leaf]);
        }
        for (const [p, r, l] of probes) {
          expect(checkRecord(p, t, r, n, l).ok).toBe(false);
          expect(verifyInclusion(n, t, l, p, r).ok).toBe(false);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('accept a changed index or tree size only when the audit path has the same shape', () => {
    fc.assert(
      fc.property(treeAndIndex, fc.integer({ min: -3, max: 3 }), fc.integer({ min: -3, max: 3 }), ([t, n], dn, dt) => {
        fc.pre(dn !== 0 || dt !== 0);
        const proof = proveRecord(t, n, store);
        const root = treeHash(t, store);
        const [n2, t2] = [n + dn, t + dt];
        // e.g. index 1 of 2 and index 4 of 5 both have one left sibling: the proof cannot tell them apart,
        // which is why the signed checkpoint binds the size to the root.
        const sameShape = n2 >= 0 && n2 < t2 && pathShape(n2, t2) === pathShape(n, t);
        expect(checkRecord(proof, t2, root, n2, leaves[n] as Hash).ok).toBe(sameShape);
        expect(verifyInclusion(n2, t2, leaves[n] as Hash, proof, root).ok).toBe(sameShape);
      }),
      { numRuns: 200 },
    );
  });
});

describe('consistency proofs', () => {
  it('equal the naive RFC 6962 PROOF and verify with both checkers', () => {
    fc.assert(
      fc.property(twoSizes, ([t, n]) => {
        const proof = proveTree(t, n, store);
        const [th, h] = [treeHash(t, store), treeHash(n, store)];
        expect(hex(proof)).toEqual(hex(subproof(n, leaves.slice(0, t), true)));
        expect(checkTree(proof, t, th, n, h)).toEqual({ ok: true });
        expect(verifyConsistency(n, t, h, th, proof)).toEqual({ ok: true });
      }),
      { numRuns: 60 },
    );
  });

  it('fail when any hash is altered, or a hash is added or removed', () => {
    fc.assert(
      fc.property(twoSizes, fc.nat(), fc.nat(31), ([t, n], which, byte) => {
        const proof = proveTree(t, n, store);
        const [th, h] = [treeHash(t, store), treeHash(n, store)];
        const probes: [Hash[], Hash, Hash][] = [
          [proof, flip(th, byte), h],
          [proof, th, flip(h, byte)],
          [[...proof, th], th, h],
          [[h, ...proof], th, h],
        ];
        if (proof.length > 0) {
          const i = which % proof.length;
          probes.push([proof.map((x, j) => (j === i ? flip(x, byte) : x)), th, h], [proof.slice(0, -1), th, h]);
        }
        for (const [p, newRoot, oldRoot] of probes) {
          expect(checkTree(p, t, newRoot, n, oldRoot).ok).toBe(false);
          expect(verifyConsistency(n, t, oldRoot, newRoot, p).ok).toBe(false);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('accept changed sizes only when the proof has the same shape', () => {
    fc.assert(
      fc.property(twoSizes, fc.integer({ min: -3, max: 3 }), fc.integer({ min: -3, max: 3 }), ([t, n], dn, dt) => {
        fc.pre(dn !== 0 || dt !== 0);
        const proof = proveTree(t, n, store);
        const [th, h] = [treeHash(t, store), treeHash(n, store)];
        const [n2, t2] = [n + dn, t + dt];
        const valid = n2 >= 1 && n2 <= t2;
        const sameShape = valid && proofShape(n2, t2, true) === proofShape(n, t, true);
        expect(checkTree(proof, t2, th, n2, h).ok).toBe(sameShape);
        // RFC 9162 also accepts the empty tree as a prefix of any tree, with an empty proof.
        const emptyPrefix = n2 === 0 && t2 >= 0 && proof.length === 0;
        expect(verifyConsistency(n2, t2, h, th, proof).ok).toBe(sameShape || emptyPrefix);
      }),
      { numRuns: 200 },
    );
  });
});
