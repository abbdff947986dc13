// Threat: guessing credentials, or damage that could trick the vault into starting over empty.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Requester } from '../../src/core/model/requester.js';
import { initVault, unlockVault } from '../../src/node/composition/vault-sessions.js';
import { CHEAP_KDF, newVault, reopen, tempDir } from '../support/vault-fixture.js';
import { codeOf } from '../support/outcome.js';

const owner: Requester = { kind: 'owner', channel: 'cli' };
let remove: (() => void) | undefined;
afterEach(() => remove?.());

function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [
        f,
        createHash('sha256')
          .update(readFileSync(join(dir, f)))
          .digest('hex'),
      ]),
  );
}

describe('credentials and damaged vaults', () => {
  it('a wrong passphrase is BAD_CREDENTIALS and leaves every vault file byte-identical', async () => {
    const v = await newVault();
    remove = v.remove;
    await v.session.engine.store({ content: 'x', level: 1, title: 't' }, owner);
    v.session.close();
    const before = snapshot(v.dir);
    expect(await codeOf(reopen(v.dir, { credentials: { kind: 'passphrase', passphrase: 'wrong passphrase' } }))).toBe('BAD_CREDENTIALS');
    expect(snapshot(v.dir)).toEqual(before);
    const ok = await reopen(v.dir);
    expect(ok.engine.status().memories[1]).toBe(1);
    ok.close();
  });

  it('a wrong keyfile, or a passphrase for a keyfile vault, is BAD_CREDENTIALS', async () => {
    const t = tempDir();
    remove = t.remove;
    const keyfile = Buffer.alloc(64, 7);
    const s = await initVault({ dir: t.path, credentials: { kind: 'keyfile', keyfile } });
    s.close();
    const before = snapshot(t.path);
    expect(await codeOf(unlockVault({ dir: t.path, credentials: { kind: 'keyfile', keyfile: Buffer.alloc(64, 8) } }))).toBe(
      'BAD_CREDENTIALS',
    );
    expect(await codeOf(unlockVault({ dir: t.path, credentials: { kind: 'keyfile', keyfile: Buffer.alloc(8, 7) } }))).toBe(
      'BAD_CREDENTIALS',
    );
    expect(await codeOf(unlockVault({ dir: t.path, credentials: { kind: 'passphrase', passphrase: 'whatever123' } }))).toBe(
      'BAD_CREDENTIALS',
    );
    expect(snapshot(t.path)).toEqual(before);
    const ok = await unlockVault({ dir: t.path, credentials: { kind: 'keyfile', keyfile } });
    ok.close();
  });

  it('a missing database is VAULT_CORRUPT and no new database is created', async () => {
    const v = await newVault();
    remove = v.remove;
    v.session.close();
    rmSync(join(v.dir, 'vault.db'));
    expect(await codeOf(reopen(v.dir))).toBe('VAULT_CORRUPT');
    expect(existsSync(join(v.dir, 'vault.db'))).toBe(false);
  });

  it('a garbage database is VAULT_CORRUPT', async () => {
    const v = await newVault();
    remove = v.remove;
    v.session.close();
    writeFileSync(join(v.dir, 'vault.db'), Buffer.alloc(8192, 0x41));
    expect(await codeOf(reopen(v.dir))).toBe('VAULT_CORRUPT');
  });

  it('a damaged header is VAULT_CORRUPT; a missing one is VAULT_NOT_FOUND', async () => {
    const v = await newVault();
    remove = v.remove;
    v.session.close();
    const header = readFileSync(join(v.dir, 'vault.json'), 'utf8');
    writeFileSync(join(v.dir, 'vault.json'), header.replace('"version": 1', '"version": 9'));
    expect(await codeOf(reopen(v.dir))).toBe('VAULT_CORRUPT');
    writeFileSync(join(v.dir, 'vault.json'), '{ not json');
    expect(await codeOf(reopen(v.dir))).toBe('VAULT_CORRUPT');
    rmSync(join(v.dir, 'vault.json'));
    expect(await codeOf(reopen(v.dir))).toBe('VAULT_NOT_FOUND');
  });

  it('init refuses to overwrite an existing vault, and a second opener gets VAULT_BUSY', async () => {
    const v = await newVault();
    remove = v.remove;
    expect(await codeOf(reopen(v.dir))).toBe('VAULT_BUSY');
    v.session.close();
    expect(
      await codeOf(initVault({ dir: v.dir, credentials: { kind: 'passphrase', passphrase: 'another one!' }, kdfCost: CHEAP_KDF })),
    ).toBe('VAULT_EXISTS');
  });
});
