// Known-answer tests: the RFC 6962 / Certificate Transparency 8-leaf tree (see PROVENANCE.md).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  MemoryHashStore,
  checkRecord,
  checkTree,
  emptyTreeHash,
  hashChildren,
  hashLeaf,
  proveRecord,
  proveTree,
  treeHash,
  verifyConsistency,
  verifyInclusion,
} from '../../src/core/audit/merkle/index.js';
import type { Hash } from '../../src/core/audit/merkle/index.js';

interface MerkleVectors {
  leafInputsHex: string[];
  leafHashesHex: string[];
  level1NodeHashesHex: string[];
  level2NodeHashesHex: string[];
  level3NodeHashesHex: string[];
  emptyRootHex: string;
  rootsBySizeHex: Record<string, string>;
  inclusionProofs: { leafIndex: number; treeSize: number; proofHex: string[] }[];
  consistencyProofs: { size1: number; size2: number; proofHex: string[] }[];
}

const v = JSON.parse(readFileSync(new URL('./rfc6962-merkle.json', import.meta.url), 'utf8')) as MerkleVectors;
const h = (x: string): Hash => new Uint8Array(Buffer.from(x, 'hex'));
const hx = (x: Uint8Array): string => Buffer.from(x).toString('hex');
const root = (size: number): Hash => h(v.rootsBySizeHex[String(size)] ?? '');
const leafHash = (i: number): Hash => h(v.leafHashesHex[i] ?? '');
const someHash = h('abacaba000000000000000000000000000000000000000000060061e00123456');

function store(): MemoryHashStore {
  const s = new MemoryHashStore();
  for (const input of v.leafInputsHex) s.appendLeafHash(hashLeaf(h(input)));
  return s;
}

describe('RFC 6962 hashing known answers', () => {
  it('hashes the eight leaves and every complete subtree', () => {
    expect(v.leafInputsHex.map((x) => hx(hashLeaf(h(x))))).toEqual(v.leafHashesHex);
    const level1 = [0, 2, 4, 6].map((i) => hx(hashChildren(leafHash(i), leafHash(i + 1))));
    expect(level1).toEqual(v.level1NodeHashesHex);
    const l1 = v.level1NodeHashesHex.map(h);
    expect([hx(hashChildren(l1[0] as Hash, l1[1] as Hash)), hx(hashChildren(l1[2] as Hash, l1[3] as Hash))]).toEqual(v.level2NodeHashesHex);
  });

  it('gives the published root for every size 0..8 from stored hashes', () => {
    const s = store();
    expect(hx(treeHash(0, s))).toBe(v.emptyRootHex);
    expect(hx(emptyTreeHash())).toBe(v.emptyRootHex);
    for (let size = 1; size <= 8; size++) expect(hx(treeHash(size, s))).toBe(v.rootsBySizeHex[String(size)]);
  });
});

describe('inclusion proof known answers', () => {
  for (const p of v.inclusionProofs) {
    it(`leaf ${p.leafIndex} in tree ${p.treeSize}`, () => {
      const s = store();
      expect(proveRecord(p.treeSize, p.leafIndex, s).map(hx)).toEqual(p.proofHex);
      const proof = p.proofHex.map(h);
      expect(checkRecord(proof, p.treeSize, root(p.treeSize), p.leafIndex, leafHash(p.leafIndex)).ok).toBe(true);
      expect(verifyInclusion(p.leafIndex, p.treeSize, leafHash(p.leafIndex), proof, root(p.treeSize)).ok).toBe(true);
      // transparency-dev/merkle proof/verify_test.go corruptInclusionProof probes
      const [i, n, r, l] = [p.leafIndex, p.treeSize, root(p.treeSize), leafHash(p.leafIndex)];
      const probes: [number, number, Hash, Hash, Hash[]][] = [
        [i - 1, n, r, l, proof],
        [i + 1, n, r, l, proof],
        [i ^ 2, n, r, l, proof],
        [i, n * 2, r, l, proof],
        [i, Math.floor(n / 2), r, l, proof],
        [i, n, r, new TextEncoder().encode('WrongLeaf'), proof],
        [i, n, h(v.emptyRootHex), l, proof],
        [i, n, someHash, l, proof],
        [i, n, r, l, [...proof, new Uint8Array(0)]],
        [i, n, r, l, [...proof, r]],
        [i, n, r, l, [new Uint8Array(0), ...proof]],
        [i, n, r, l, [r, ...proof]],
        ...proof.map((_, j): [number, number, Hash, Hash, Hash[]] => [i, n, r, l, proof.map((x, k) => (k === j ? x.map((b, z) => (z === 0 ? b ^ 8 : b)) : x))]),
      ];
      if (proof.length > 0) probes.push([i, n, r, l, proof.slice(0, -1)]);
      if (proof.length > 1) probes.push([i, n, r, l, [proof[0] as Hash, someHash, ...proof.slice(1)]]);
      for (const [pi, pn, pr, pl, pp] of probes) {
        expect(verifyInclusion(pi, pn, pl, pp, pr).ok, `probe ${pi}/${pn}`).toBe(false);
        expect(checkRecord(pp, pn, pr, pi, pl).ok, `probe ${pi}/${pn}`).toBe(false);
      }
    });
  }
});

describe('consistency proof known answers', () => {
  for (const p of v.consistencyProofs) {
    it(`tree ${p.size1} -> ${p.size2}`, () => {
      const s = store();
      expect(proveTree(p.size2, p.size1, s).map(hx)).toEqual(p.proofHex);
      const proof = p.proofHex.map(h);
      const [r1, r2] = [root(p.size1), root(p.size2)];
      expect(checkTree(proof, p.size2, r2, p.size1, r1).ok).toBe(true);
      expect(verifyConsistency(p.size1, p.size2, r1, r2, proof).ok).toBe(true);
      if (proof.length === 0) return;
      // transparency-dev/merkle proof/verify_test.go corruptConsistencyProof probes
      const [m, n] = [p.size1, p.size2];
      const probes: [number, number, Hash, Hash, Hash[]][] = [
        [m - 1, n, r1, r2, proof],
        [m + 1, n, r1, r2, proof],
        [m ^ 2, n, r1, r2, proof],
        [m, n * 2, r1, r2, proof],
        [m, Math.floor(n / 2), r1, r2, proof],
        [m, n, new TextEncoder().encode('WrongRoot'), r2, proof],
        [m, n, r1, new TextEncoder().encode('WrongRoot'), proof],
        [m, n, r2, r1, proof],
        [m, n, r1, r2, []],
        [m, n, r1, r2, [...proof, new Uint8Array(0)]],
        [m, n, r1, r2, [...proof, r1]],
        [m, n, r1, r2, [...proof, r2]],
        [m, n, r1, r2, [new Uint8Array(0), ...proof]],
        [m, n, r1, r2, [r1, ...proof]],
        [m, n, r1, r2, [r2, ...proof]],
        [m, n, r1, r2, [proof[0] as Hash, ...proof]],
        [m, n, r1, r2, proof.slice(0, -1)],
        ...proof.map((_, j): [number, number, Hash, Hash, Hash[]] => [m, n, r1, r2, proof.map((x, k) => (k === j ? x.map((b, z) => (z === 0 ? b ^ 16 : b)) : x))]),
      ];
      for (const [pm, pn, pr1, pr2, pp] of probes) {
        expect(verifyConsistency(pm, pn, pr1, pr2, pp).ok, `probe ${pm}->${pn}`).toBe(false);
        expect(checkTree(pp, pn, pr2, pm, pr1).ok, `probe ${pm}->${pn}`).toBe(false);
      }
    });
  }

  it('applies RFC 9162 edge cases: empty old tree, equal sizes, time travel', () => {
    const dc1 = new Uint8Array(32).fill(1);
    const dc2 = new Uint8Array(32).fill(2);
    expect(verifyConsistency(0, 0, dc1, dc1, []).ok).toBe(true);
    expect(verifyConsistency(0, 1, dc1, dc2, []).ok).toBe(true);
    expect(verifyConsistency(1, 1, dc2, dc2, []).ok).toBe(true);
    expect(verifyConsistency(1, 1, dc1, dc2, []).ok).toBe(false);
    expect(verifyConsistency(1, 0, dc1, dc2, []).ok).toBe(false);
    expect(verifyConsistency(2, 1, dc1, dc2, []).ok).toBe(false);
    expect(verifyConsistency(1, 2, dc1, dc2, []).ok).toBe(false);
    expect(verifyConsistency(1, 1, dc1, dc1, [h(v.emptyRootHex)]).ok).toBe(false);
    expect(verifyConsistency(0, 1, dc1, dc1, [h(v.emptyRootHex)]).ok).toBe(false);
  });
});
