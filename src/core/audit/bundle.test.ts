import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzRuns } from '../../../tests/support/fuzz.js';
import { buildProofBundle } from './bundle-builder.js';
import type { ProofBundle, ProofBundleV2 } from './bundle.schema.js';
import { verifyBundle } from './bundle.js';
import type { BundleFailure } from './bundle.js';
import { canonicalJson } from './canonical-json.js';
import { signCheckpoint, toTreeSize } from './checkpoint.js';
import { hashLeaf } from './merkle/hash.js';
import { MemoryHashStore } from './merkle/memory-hash-store.js';
import { treeHash } from './merkle/tree.js';
import { generateNoteKey, parseSignerKey } from './note-key.js';

const ORIGIN = 'vault.example/audit';

function fixture(selected: readonly number[] = [3, 10, 20]): { bundle: ProofBundleV2; verifierKey: string } {
  const key = generateNoteKey(ORIGIN);
  const signer = parseSignerKey(key.signerKey);
  if (!signer.ok) throw new Error('key');
  const store = new MemoryHashStore();
  const events = Array.from({ length: 21 }, (_, i) => canonicalJson({ v: 1, seq: i, kind: 'recall', memory: `m-${i % 4}` }));
  const sign = (size: number): string =>
    signCheckpoint({ origin: ORIGIN, size: toTreeSize(size), rootHash: treeHash(size, store), extensions: [] }, signer.value);
  events.slice(0, 11).forEach((e) => store.appendLeafHash(hashLeaf(new TextEncoder().encode(e))));
  const older = sign(11);
  events.slice(11).forEach((e) => store.appendLeafHash(hashLeaf(new TextEncoder().encode(e))));
  const bundle = buildProofBundle({
    verifierKey: key.verifierKey,
    signedCheckpoint: sign(21),
    olderSignedCheckpoint: older,
    events: selected.map((index) => ({ index, canonicalJson: events[index] as string })),
    reader: store,
  });
  return { bundle, verifierKey: key.verifierKey };
}

const kinds = (failures: readonly BundleFailure[]): string[] => failures.map((f) => f.kind);

describe('proof bundles', () => {
  it('verify when built honestly, with and without a trusted key', () => {
    const { bundle, verifierKey } = fixture();
    const self = verifyBundle(bundle);
    expect(self).toMatchObject({ valid: true, failures: [], keyTrusted: false, eventsVerified: 3 });
    expect(verifyBundle(JSON.parse(JSON.stringify(bundle)), { trustedKey: verifierKey })).toMatchObject({ valid: true, keyTrusted: true });
  });

  it('name an untrusted key and the signatures it cannot verify', () => {
    const { bundle } = fixture();
    const r = verifyBundle(bundle, { trustedKey: generateNoteKey(ORIGIN).verifierKey });
    expect(r.valid).toBe(false);
    expect(kinds(r.failures)).toEqual(['untrusted-key', 'bad-signature', 'bad-signature']);
  });

  it('name an edited event as non-canonical, leaf hash mismatch and bad inclusion', () => {
    const { bundle } = fixture();
    const events = bundle.events.map((e, i) => (i === 1 ? { ...e, canonicalJson: e.canonicalJson.replace('recall', 'recalL') } : e));
    const r = verifyBundle({ ...bundle, events });
    expect(r.failures).toEqual([
      { kind: 'leaf-hash-mismatch', index: 10, message: expect.any(String) },
      { kind: 'bad-inclusion', index: 10, reason: 'root-mismatch' },
    ]);
    const reordered = bundle.events.map((e, i) => (i === 0 ? { ...e, canonicalJson: ' ' + e.canonicalJson } : e));
    expect(kinds(verifyBundle({ ...bundle, events: reordered }).failures)).toEqual([
      'non-canonical-event',
      'leaf-hash-mismatch',
      'bad-inclusion',
    ]);
  });

  it('name a bad consistency proof', () => {
    const { bundle } = fixture();
    const proof = [...(bundle.consistencyProof ?? [])];
    proof[0] = Buffer.alloc(32, 9).toString('base64');
    const r = verifyBundle({ ...bundle, consistencyProof: proof });
    expect(r.failures).toEqual([{ kind: 'bad-consistency', reason: 'root-mismatch' }]);
  });

  it('name a tampered checkpoint signature and events pinned to another checkpoint', () => {
    const { bundle } = fixture();
    const r = verifyBundle({ ...bundle, checkpoint: bundle.checkpoint.replace('\n21\n', '\n22\n') });
    expect(kinds(r.failures)).toEqual(['bad-signature', 'checkpoint-mismatch', 'checkpoint-mismatch', 'checkpoint-mismatch']);
  });

  it('name an inclusion proof moved to another index', () => {
    const { bundle } = fixture();
    const events = bundle.events.map((e, i) => (i === 0 ? { ...e, index: 4 } : e));
    // The moved event also leaves its stated range (3) empty and sits outside every range.
    expect(kinds(verifyBundle({ ...bundle, events }).failures)).toEqual(['index-mismatch', 'event-outside-ranges', 'missing-events']);
  });

  it('report malformed input as data, never as an exception', () => {
    for (const input of [null, 42, 'x', {}, { format: 'memory-vault-proof-bundle', version: 2 }, { ...fixture().bundle, extra: 1 }]) {
      const r = verifyBundle(input);
      expect(r.valid).toBe(false);
      expect(r.failures.every((f) => f.kind === 'malformed')).toBe(true);
    }
    const { bundle } = fixture();
    const { consistencyProof: _dropped, ...withoutProof } = bundle;
    expect(kinds(verifyBundle(withoutProof).failures)).toEqual(['malformed']);
  });

  it('state the runs of their events as ranges, and verify them', () => {
    const { bundle } = fixture([0, 1, 2, 7, 8, 20]);
    expect(bundle.ranges).toEqual([
      { from: 0, to: 2 },
      { from: 7, to: 8 },
      { from: 20, to: 20 },
    ]);
    expect(verifyBundle(bundle)).toMatchObject({ valid: true, ranges: bundle.ranges, wholeLog: false });
    const whole = fixture(Array.from({ length: 21 }, (_, i) => i)).bundle;
    expect(verifyBundle(whole)).toMatchObject({ valid: true, ranges: [{ from: 0, to: 20 }], wholeLog: true, eventsVerified: 21 });
  });

  it('reject a duplicated, a swapped and a dropped event, naming each', () => {
    const { bundle } = fixture([4, 5, 6, 7]);
    const [a, b, c, d] = bundle.events as [
      ProofBundle['events'][number],
      ProofBundle['events'][number],
      ProofBundle['events'][number],
      ProofBundle['events'][number],
    ];
    expect(verifyBundle({ ...bundle, events: [a, b, b, c, d] }).failures).toEqual([
      { kind: 'duplicate-event', index: 5, message: 'event 5 appears more than once' },
    ]);
    expect(verifyBundle({ ...bundle, events: [a, c, b, d] }).failures).toEqual([
      { kind: 'out-of-order-event', index: 5, message: 'event 5 comes after event 6' },
    ]);
    expect(verifyBundle({ ...bundle, events: [a, b, d] }).failures).toEqual([
      { kind: 'missing-events', from: 6, to: 6, message: 'event 6 missing from a stated range' },
    ]);
  });

  it('reject ranges that are unordered, overlapping or beyond the tree, without iterating them', () => {
    const { bundle } = fixture([4, 5]);
    const ranges = (r: ProofBundleV2['ranges']): string[] => kinds(verifyBundle({ ...bundle, ranges: r }).failures);
    expect(ranges([{ from: 5, to: 4 }])).toEqual(['bad-range']);
    expect(
      ranges([
        { from: 4, to: 5 },
        { from: 5, to: 5 },
      ]),
    ).toEqual(['bad-range']);
    expect(ranges([{ from: 4, to: Number.MAX_SAFE_INTEGER }])).toEqual(['bad-range']);
    expect(ranges([{ from: 0, to: 20 }])).toEqual(['missing-events', 'missing-events']);
    expect(ranges([])).toEqual(['event-outside-ranges', 'event-outside-ranges']);
  });

  it('verify a version 1 bundle (no ranges) without claiming completeness, still refusing duplicates', () => {
    const { ranges: _ranges, ...rest } = fixture().bundle;
    const legacy = { ...rest, version: 1 };
    expect(verifyBundle(legacy)).toMatchObject({ valid: true, ranges: null, wholeLog: false, eventsVerified: 3 });
    expect(kinds(verifyBundle({ ...legacy, events: [rest.events[0], rest.events[0]] }).failures)).toEqual(['duplicate-event']);
    expect(kinds(verifyBundle({ ...legacy, ranges: [] }).failures)).toEqual(['malformed']);
    expect(kinds(verifyBundle(rest).failures)).toEqual(['malformed']); // version 2 without ranges
  });

  it('property: any duplicated, swapped or dropped event of an honest bundle is rejected', () => {
    const honest = fixture(Array.from({ length: 21 }, (_, i) => i).filter((i) => i % 7 !== 3)).bundle;
    const n = honest.events.length;
    fc.assert(
      fc.property(fc.constantFrom('duplicate', 'swap', 'drop'), fc.nat(n - 1), fc.nat(n - 1), (edit, i, j) => {
        const events = [...honest.events];
        if (edit === 'duplicate') events.splice(j, 0, honest.events[i] as ProofBundle['events'][number]);
        else if (edit === 'drop') events.splice(i, 1);
        else {
          fc.pre(i !== j);
          [events[i], events[j]] = [events[j] as ProofBundle['events'][number], events[i] as ProofBundle['events'][number]];
        }
        expect(verifyBundle({ ...honest, events }).valid).toBe(false);
      }),
      { numRuns: fuzzRuns(100) },
    );
  });
});
