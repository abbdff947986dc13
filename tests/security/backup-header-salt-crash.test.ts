// Threat: a damaged or forged backup whose header salt is not 16 bytes (one padding byte changed:
// "…Zw==" → "…ZwF=") made libsodium throw inside verify, surfacing as INTERNAL instead of a
// refusal. The stored-KDF schema now requires a 16-byte salt: INTEGRITY_FAILURE, nothing opened.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBackup } from '../../src/node/backup/backup-verify.js';
import { writeBackup } from '../../src/node/backup/backup-writer.js';
import { codeOf } from '../support/outcome.js';
import { CHEAP_KDF, newVault } from '../support/vault-fixture.js';

const UNLOCK = { passphrase: 'backup passphrase 123' };
let file = '';
let verifierKey = '';
let remove = (): void => undefined;

beforeAll(async () => {
  const v = await newVault();
  remove = v.remove;
  await v.session.engine.store({ content: 'salt probe', level: 1, title: 'salt' }, { kind: 'owner', channel: 'cli' });
  file = join(v.dir, '..', 'salt.mvbak');
  await writeBackup(v.session, { out: file, protection: { kind: 'passphrase', passphrase: UNLOCK.passphrase, kdfCost: CHEAP_KDF } });
  verifierKey = v.session.engine.auditLog.verifierKey;
  v.session.close();
});
afterAll(() => remove());

describe('backup header salt of the wrong length', () => {
  it('a 17-byte salt (its padding byte replaced) → INTEGRITY_FAILURE, never INTERNAL', async () => {
    const bytes = readFileSync(file);
    const text = bytes.toString('latin1');
    const m = /"salt":"([A-Za-z0-9+/=]+)"/.exec(text);
    expect(m).not.toBeNull();
    const salt = m?.[1] ?? '';
    const replaced = `${salt.slice(0, -2)}F=`;
    // Same length: the header's framing stays intact, only the salt's meaning changes.
    expect(replaced).not.toBe(salt);
    const bad = Buffer.from(text.replace(`"salt":"${salt}"`, `"salt":"${replaced}"`), 'latin1');
    const path = `${file}.bad`;
    writeFileSync(path, bad);
    expect(await codeOf(verifyBackup(path, UNLOCK, { verifierKey }))).toBe('INTEGRITY_FAILURE');
  });
});
