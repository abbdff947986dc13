import { createDecipheriv, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ENVELOPE_OVERHEAD, openEnvelope, sealEnvelope } from './aead.js';
import { fuzzRuns } from '../../../tests/support/fuzz.js';

const key = randomBytes(32);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    return typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : 'THREW_NON_VAULT_ERROR';
  }
}

describe('AES-256-GCM envelope', () => {
  it('round-trips and is decryptable by an independent AES-GCM implementation call', () => {
    const pt = Buffer.from('the quick brown fox');
    const ad = Buffer.from('binding');
    const env = sealEnvelope(key, pt, ad);
    expect(env.length).toBe(pt.length + ENVELOPE_OVERHEAD);
    expect(openEnvelope(key, env, ad).equals(pt)).toBe(true);
    // Layout check against node:crypto directly: version || nonce(12) || ct || tag(16).
    const d = createDecipheriv('aes-256-gcm', key, env.subarray(1, 13));
    d.setAAD(ad);
    d.setAuthTag(env.subarray(env.length - 16));
    expect(Buffer.concat([d.update(env.subarray(13, env.length - 16)), d.final()]).equals(pt)).toBe(true);
  });

  it('uses a fresh nonce per message', () => {
    const a = sealEnvelope(key, Buffer.from('x'), Buffer.alloc(0));
    const b = sealEnvelope(key, Buffer.from('x'), Buffer.alloc(0));
    expect(a.subarray(1, 13).equals(b.subarray(1, 13))).toBe(false);
  });

  it('rejects any single byte change of version, nonce, ciphertext or tag', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 256 }),
        fc.uint8Array({ maxLength: 64 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (pt, ad, pos, delta) => {
          const env = sealEnvelope(key, pt, ad);
          const i = pos % env.length;
          env[i] = (env[i]! + delta) & 0xff;
          expect(codeOf(() => openEnvelope(key, env, ad))).toBe('INTEGRITY_FAILURE');
        },
      ),
      { numRuns: fuzzRuns(500) },
    );
  });

  it('rejects any change of the associated data', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 64 }),
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (pt, ad, pos, delta) => {
          const env = sealEnvelope(key, pt, ad);
          const bad = Uint8Array.from(ad);
          const i = pos % bad.length;
          bad[i] = (bad[i]! + delta) & 0xff;
          expect(codeOf(() => openEnvelope(key, env, bad))).toBe('INTEGRITY_FAILURE');
          expect(codeOf(() => openEnvelope(key, env, ad.subarray(0, ad.length - 1)))).toBe('INTEGRITY_FAILURE');
        },
      ),
      { numRuns: fuzzRuns(300) },
    );
  });

  it('rejects truncation, extension and the wrong key', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 128 }), fc.nat(), (pt, cut) => {
        const env = sealEnvelope(key, pt, Buffer.alloc(0));
        expect(codeOf(() => openEnvelope(key, env.subarray(0, cut % env.length), Buffer.alloc(0)))).toBe('INTEGRITY_FAILURE');
        expect(codeOf(() => openEnvelope(key, Buffer.concat([env, Buffer.from([0])]), Buffer.alloc(0)))).toBe('INTEGRITY_FAILURE');
        expect(codeOf(() => openEnvelope(randomBytes(32), env, Buffer.alloc(0)))).toBe('INTEGRITY_FAILURE');
      }),
      { numRuns: fuzzRuns(200) },
    );
  });
});
