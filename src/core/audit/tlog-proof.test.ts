import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { signCheckpoint, toTreeSize } from './checkpoint.js';
import { hashLeaf } from './merkle/hash.js';
import { MemoryHashStore } from './merkle/memory-hash-store.js';
import { proveRecord } from './merkle/prove.js';
import { treeHash } from './merkle/tree.js';
import { generateNoteKey, parseSignerKey, parseVerifierKey } from './note-key.js';
import { formatTlogProof, parseTlogProof, verifyTlogProof } from './tlog-proof.js';

const k = generateNoteKey('vault.example/audit');
const signer = parseSignerKey(k.signerKey);
const verifier = parseVerifierKey(k.verifierKey);
if (!signer.ok || !verifier.ok) throw new Error('key');
const store = new MemoryHashStore();
const leaves = Array.from({ length: 13 }, (_, i) => hashLeaf(new TextEncoder().encode(`e${i}`)));
leaves.forEach((l) => store.appendLeafHash(l));
const signed = signCheckpoint(
  { origin: 'vault.example/audit', size: toTreeSize(13), rootHash: treeHash(13, store), extensions: [] },
  signer.value,
);

describe('c2sp.org/tlog-proof@v1', () => {
  it('round-trips with and without extra data, and verifies every leaf', () => {
    for (let i = 0; i < 13; i++) {
      for (const extra of [undefined, new Uint8Array([1, 2, 3]), new Uint8Array(0)]) {
        const p = {
          ...(extra === undefined ? {} : { extra }),
          index: i,
          inclusionProof: proveRecord(13, i, store),
          signedCheckpoint: signed,
        };
        const text = formatTlogProof(p);
        const parsed = parseTlogProof(text);
        expect(parsed.ok && parsed.proof).toEqual(p);
        expect(verifyTlogProof(text, leaves[i] as Uint8Array, verifier.value).ok).toBe(true);
        expect(verifyTlogProof(text, leaves[(i + 1) % 13] as Uint8Array, verifier.value).ok).toBe(false);
      }
    }
  });

  it('matches the layout of the specification example', () => {
    const text = formatTlogProof({
      extra: new Uint8Array([0xff]),
      index: 5,
      inclusionProof: [new Uint8Array(32)],
      signedCheckpoint: signed,
    });
    expect(
      text.startsWith(
        'c2sp.org/tlog-proof@v1\nextra /w==\nindex 5\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\nvault.example/audit\n13\n',
      ),
    ).toBe(true);
  });

  it.each([
    ['missing header', 'wrong-header\nindex 0\n\ncheckpoint\n'],
    ['invalid extra data', 'c2sp.org/tlog-proof@v1\nextra !!notbase64!!\nindex 0\n\ncheckpoint\n'],
    ['missing index', 'c2sp.org/tlog-proof@v1\n\n\ncheckpoint\n'],
    ['index not a number', 'c2sp.org/tlog-proof@v1\nindex notanumber\n\ncheckpoint\n'],
    ['negative index', 'c2sp.org/tlog-proof@v1\nindex -5\n\ncheckpoint\n'],
    ['leading zero', 'c2sp.org/tlog-proof@v1\nindex 05\n\ncheckpoint\n'],
    ['bad hash', 'c2sp.org/tlog-proof@v1\nindex 0\n!!notbase64!!\n\ncheckpoint\n'],
    ['64-byte hash', `c2sp.org/tlog-proof@v1\nindex 0\n${Buffer.alloc(64).toString('base64')}\n\ncheckpoint\n`],
    ['no blank line', 'c2sp.org/tlog-proof@v1\nindex 0\n'],
    ['no checkpoint', 'c2sp.org/tlog-proof@v1\nindex 0\n\n'],
  ])('rejects %s (cases after transparency-dev/merkle proof/tlog_proof_test.go)', (_why, text) => {
    expect(parseTlogProof(text).ok).toBe(false);
  });

  it('never throws and never verifies after a random byte mutation', () => {
    const text = new TextEncoder().encode(
      formatTlogProof({ extra: leaves[6] as Uint8Array, index: 6, inclusionProof: proveRecord(13, 6, store), signedCheckpoint: signed }),
    );
    fc.assert(
      fc.property(fc.nat(text.length - 1), fc.integer({ min: 1, max: 255 }), (at, xor) => {
        const m = new Uint8Array(text);
        m[at] = (m[at] as number) ^ xor;
        const mutated = new TextDecoder().decode(m);
        const r = verifyTlogProof(mutated, leaves[6] as Uint8Array, verifier.value);
        // Only the unauthenticated `extra` line may change without breaking the proof.
        const extraOnly = at < 'c2sp.org/tlog-proof@v1\nextra '.length + 44 && at >= 'c2sp.org/tlog-proof@v1\nextra '.length;
        if (r.ok) expect(extraOnly).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
