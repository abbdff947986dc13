// Backup file parsing under hostile bytes: any single-byte change, truncation or random garbage
// is refused with INTEGRITY_FAILURE (or BAD_CREDENTIALS when the first chunk no longer opens),
// never accepted and never an unexpected exception.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Requester } from '../../src/core/model/requester.js';
import { verifyBackup } from '../../src/node/backup/backup-verify.js';
import { writeBackup } from '../../src/node/backup/backup-writer.js';
import { fuzzRuns } from '../support/fuzz.js';
import { codeOf } from '../support/outcome.js';
import { CHEAP_KDF, newVault } from '../support/vault-fixture.js';

const owner: Requester = { kind: 'owner', channel: 'cli' };
const UNLOCK = { passphrase: 'backup passphrase 123' };
let file = '';
let bytes = Buffer.alloc(0);
let remove = () => undefined as void;
let trust = { verifierKey: '' };

beforeAll(async () => {
  const v = await newVault();
  remove = v.remove;
  for (let i = 0; i < 20; i++)
    await v.session.engine.store({ content: `fuzzed backup ${i}`, level: (i % 3) as 0 | 1 | 2, title: `f${i}` }, owner);
  file = join(v.dir, '..', 'fuzz.mvbak');
  await writeBackup(v.session, {
    out: file,
    protection: { kind: 'passphrase', passphrase: UNLOCK.passphrase, kdfCost: CHEAP_KDF },
    chunkBytes: 2048,
  });
  trust = { verifierKey: v.session.engine.auditLog.verifierKey };
  v.session.close();
  bytes = readFileSync(file);
});
afterAll(() => remove());

describe('backup parsing fuzz', () => {
  it('rejects every single-byte change', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.integer({ min: 1, max: 255 }), async (pos, delta) => {
        const bad = Buffer.from(bytes);
        const i = pos % bad.length;
        bad[i] = (bad[i]! + delta) & 0xff;
        const path = `${file}.mut`;
        writeFileSync(path, bad);
        expect(['INTEGRITY_FAILURE', 'BAD_CREDENTIALS']).toContain(await codeOf(verifyBackup(path, UNLOCK, trust)));
      }),
      { numRuns: fuzzRuns(150) },
    );
  });

  it('a salt padding byte changed (the salt no longer 16 bytes) is INTEGRITY_FAILURE, not INTERNAL', async () => {
    // Found by the property above: "…Zw==" → "…ZwF=" decodes to 17 bytes and libsodium threw.
    const at = bytes.indexOf('=="}}');
    expect(at).toBeGreaterThan(0);
    const bad = Buffer.from(bytes);
    bad[at] = 'F'.charCodeAt(0);
    const path = `${file}.salt`;
    writeFileSync(path, bad);
    expect(await codeOf(verifyBackup(path, UNLOCK, trust))).toBe('INTEGRITY_FAILURE');
  });

  it('rejects truncations and random garbage', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.uint8Array({ maxLength: 4096 }), async (cut, garbage) => {
        const path = `${file}.cut`;
        writeFileSync(path, bytes.subarray(0, cut % bytes.length));
        expect(['INTEGRITY_FAILURE', 'BAD_CREDENTIALS']).toContain(await codeOf(verifyBackup(path, UNLOCK, trust)));
        writeFileSync(path, garbage);
        expect(['INTEGRITY_FAILURE', 'BAD_CREDENTIALS']).toContain(await codeOf(verifyBackup(path, UNLOCK, trust)));
      }),
      { numRuns: fuzzRuns(60) },
    );
  });
});
