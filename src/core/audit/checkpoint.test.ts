import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatCheckpoint, openCheckpoint, parseCheckpoint, signCheckpoint, toTreeSize } from './checkpoint.js';
import { generateNoteKey, parseSignerKey, parseVerifierKey } from './note-key.js';

// c2sp.org/tlog-checkpoint example body (C2SP/C2SP tlog-checkpoint.md).
const SPEC_EXAMPLE = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';

const checkpointArb = fc.record({
  origin: fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !s.includes('\n')),
  size: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }).map(toTreeSize),
  rootHash: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  extensions: fc.array(
    fc.string({ minLength: 1, maxLength: 10 }).filter((s) => !s.includes('\n')),
    { maxLength: 3 },
  ),
});

describe('tlog-checkpoint body', () => {
  it('parses the specification example', () => {
    const r = parseCheckpoint(SPEC_EXAMPLE);
    expect(r.ok && [r.checkpoint.origin, r.checkpoint.size, r.checkpoint.extensions]).toEqual([
      'example.com/behind-the-sofa',
      20852163,
      [],
    ]);
    expect(r.ok && formatCheckpoint(r.checkpoint)).toBe(SPEC_EXAMPLE);
  });

  it('round-trips', () => {
    fc.assert(
      fc.property(checkpointArb, (c) => {
        const r = parseCheckpoint(formatCheckpoint(c));
        expect(r.ok && r.checkpoint).toEqual(c);
      }),
    );
  });

  it.each([
    ['no final newline', 'o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I='],
    ['two lines', 'o\n1\n'],
    ['empty origin', '\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n'],
    ['leading zero', 'o\n01\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n'],
    ['negative size', 'o\n-1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n'],
    ['size above 2^53', 'o\n9007199254740993\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n'],
    ['short hash', 'o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2=\n'],
    ['unpadded hash', 'o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n'],
    ['empty extension line', 'o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n'],
  ])('rejects %s', (_why, text) => {
    expect(parseCheckpoint(text).ok).toBe(false);
  });

  it('opens a signed checkpoint only with its key and its origin', () => {
    const k = generateNoteKey('vault.example/audit');
    const signer = parseSignerKey(k.signerKey);
    const verifier = parseVerifierKey(k.verifierKey);
    if (!signer.ok || !verifier.ok) throw new Error('key');
    const c = { origin: 'vault.example/audit', size: toTreeSize(3), rootHash: new Uint8Array(32).fill(7), extensions: [] };
    const signed = signCheckpoint(c, signer.value);
    const r = openCheckpoint(signed, verifier.value);
    expect(r.ok && r.checkpoint).toEqual(c);
    const wrongOrigin = openCheckpoint(signed, verifier.value, 'other');
    expect(!wrongOrigin.ok && wrongOrigin.error.kind).toBe('origin-mismatch');
    const other = parseVerifierKey(generateNoteKey('vault.example/audit').verifierKey);
    if (!other.ok) throw new Error('key');
    expect(openCheckpoint(signed, other.value).ok).toBe(false);
  });

  it('never throws on random mutations of a signed checkpoint and never opens one', () => {
    const k = generateNoteKey('log');
    const signer = parseSignerKey(k.signerKey);
    const verifier = parseVerifierKey(k.verifierKey);
    if (!signer.ok || !verifier.ok) throw new Error('key');
    const signed = new TextEncoder().encode(
      signCheckpoint({ origin: 'log', size: toTreeSize(12), rootHash: new Uint8Array(32), extensions: [] }, signer.value),
    );
    fc.assert(
      fc.property(fc.nat(signed.length - 1), fc.integer({ min: 1, max: 255 }), (at, xor) => {
        const m = new Uint8Array(signed);
        m[at] = (m[at] as number) ^ xor;
        expect(openCheckpoint(m, verifier.value).ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
