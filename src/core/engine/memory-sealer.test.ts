import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LEVELS, type Level } from '../levels.js';
import { openMemory, sealMemory } from './memory-sealer.js';

const profileKey = randomBytes(32);

function attempt(fn: () => Buffer): string {
  try {
    fn();
    return 'OPENED';
  } catch (e) {
    return typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : 'NON_VAULT_ERROR';
  }
}

describe('memory sealing format', () => {
  const base = { memoryId: 'c0ffee00-0000-4000-8000-000000000001', level: 2 as Level, profileId: 'default', formatVersion: 1, profileKey };

  it('round-trips content for every level', () => {
    for (const level of LEVELS) {
      const content = randomBytes(100);
      const s = sealMemory({ ...base, level, content });
      expect(
        openMemory({ ...base, level, contentHash: s.contentHash, wrappedDek: s.wrappedDek, ciphertext: s.ciphertext }).equals(content),
      ).toBe(true);
    }
  });

  it('any change of the bound fields (id, level, profile, version, content hash) is rejected', () => {
    const s = sealMemory({ ...base, content: Buffer.from('canary') });
    const ok = { ...base, contentHash: s.contentHash, wrappedDek: s.wrappedDek, ciphertext: s.ciphertext };
    fc.assert(
      fc.property(
        fc.oneof(
          fc
            .constantFrom(...LEVELS)
            .filter((l) => l !== base.level)
            .map((level) => ({ level })),
          fc
            .uuid()
            .filter((u) => u !== base.memoryId)
            .map((memoryId) => ({ memoryId })),
          fc
            .string({ minLength: 1 })
            .filter((p) => p !== 'default')
            .map((profileId) => ({ profileId })),
          fc.integer({ min: 2, max: 255 }).map((formatVersion) => ({ formatVersion })),
          fc.uint8Array({ minLength: 32, maxLength: 32 }).map((h) => ({ contentHash: Buffer.from(h) })),
        ),
        (change) => {
          expect(attempt(() => openMemory({ ...ok, ...change }))).toBe('INTEGRITY_FAILURE');
        },
      ),
      { numRuns: 200 },
    );
  });

  it('any byte change of wrapped DEK or ciphertext is rejected', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.nat(), fc.integer({ min: 1, max: 255 }), (inDek, pos, delta) => {
        const s = sealMemory({ ...base, content: randomBytes(64) });
        const target = inDek ? s.wrappedDek : s.ciphertext;
        const i = pos % target.length;
        target[i] = (target[i]! + delta) & 0xff;
        expect(attempt(() => openMemory({ ...base, contentHash: s.contentHash, wrappedDek: s.wrappedDek, ciphertext: s.ciphertext }))).toBe(
          'INTEGRITY_FAILURE',
        );
      }),
      { numRuns: 300 },
    );
  });

  it('level 5 needs the same hardware secret that sealed it', () => {
    const hw = { secret: randomBytes(32), salt: randomBytes(32) };
    const s = sealMemory({ ...base, level: 5, content: Buffer.from('black'), hardware: hw });
    const args = { ...base, level: 5 as Level, contentHash: s.contentHash, wrappedDek: s.wrappedDek, ciphertext: s.ciphertext };
    expect(openMemory({ ...args, hardware: hw }).toString()).toBe('black');
    expect(attempt(() => openMemory(args))).toBe('INTEGRITY_FAILURE');
    expect(attempt(() => openMemory({ ...args, hardware: { secret: randomBytes(32), salt: hw.salt } }))).toBe('INTEGRITY_FAILURE');
  });

  it('commitments hide the content: same content, different salts, different commitments', () => {
    const a = sealMemory({ ...base, content: Buffer.from('same') });
    const b = sealMemory({ ...base, content: Buffer.from('same') });
    expect(a.commitment).not.toBe(b.commitment);
    expect(a.commitment).toMatch(/^[0-9a-f]{64}$/);
  });
});
