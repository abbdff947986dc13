import { describe, expect, it } from 'vitest';
import { buildProofBundle } from './bundle-builder.js';
import type { ProofBundle } from './bundle.schema.js';
import { verifyBundle } from './bundle.js';
import type { BundleFailure } from './bundle.js';
import { canonicalJson } from './canonical-json.js';
import { signCheckpoint, toTreeSize } from './checkpoint.js';
import { hashLeaf } from './merkle/hash.js';
import { MemoryHashStore } from './merkle/memory-hash-store.js';
import { treeHash } from './merkle/tree.js';
import { generateNoteKey, parseSignerKey } from './note-key.js';

const ORIGIN = 'vault.example/audit';

function fixture(): { bundle: ProofBundle; verifierKey: string } {
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
    events: [3, 10, 20].map((index) => ({ index, canonicalJson: events[index] as string })),
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
    expect(kinds(verifyBundle({ ...bundle, events: reordered }).failures)).toEqual(['non-canonical-event', 'leaf-hash-mismatch', 'bad-inclusion']);
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
    expect(kinds(verifyBundle({ ...bundle, events }).failures)).toEqual(['index-mismatch']);
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
});
