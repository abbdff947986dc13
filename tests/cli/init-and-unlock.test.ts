// `memory-vault init`, where the vault lives, file permissions, and every way an unlock fails.
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CANARY,
  createSandbox,
  expectError,
  expectHumanError,
  expectOk,
  expectPrivateVaultDir,
  initVault,
  snapshotDir,
  store,
  type Sandbox,
} from './cli-harness.js';

let sb: Sandbox;
beforeEach(() => {
  sb = createSandbox();
});
afterEach(() => sb.cleanup());

interface InitResult {
  dir: string;
  vaultId: string;
  profile: string;
  keySource: string;
  exportable: boolean;
}

function asInitResult(v: unknown): InitResult {
  expect(v).toEqual({
    dir: expect.any(String),
    vaultId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    profile: 'default',
    keySource: expect.any(String),
    exportable: expect.any(Boolean),
  });
  return v as InitResult;
}

describe('init', () => {
  it('creates a passphrase vault in --vault DIR: dir 0700, files 0600, and it unlocks', async () => {
    const r = asInitResult(expectOk(await sb.vcli(['init', '--kdf-memory', '8', '--kdf-ops', '1'])));
    expect(r.dir).toBe(sb.vault);
    expect(r.keySource).toBe('passphrase');
    expectPrivateVaultDir(sb.vault);
    const st = expectOk(await sb.vcli(['status']));
    expect(st).toMatchObject({ dir: sb.vault, vaultId: r.vaultId });
    // After writes, still private (vault.db, and -wal/-shm if SQLite leaves them).
    await store(sb, { level: 1, title: 'perm check', content: `${CANARY} perm` });
    expectPrivateVaultDir(sb.vault);
  });

  it('--non-exportable makes a profile that backup create refuses with FORBIDDEN, writing no file', async () => {
    const r = asInitResult(expectOk(await sb.vcli(['init', '--kdf-memory', '8', '--kdf-ops', '1', '--non-exportable'])));
    expect(r.exportable).toBe(false);
    const backupPass = join(sb.root, 'backup-pass.txt');
    writeFileSync(backupPass, 'backup passphrase 1234\n', { mode: 0o600 });
    const out = join(sb.root, 'refused.mvb');
    const refused = await sb.vcli(['backup', 'create', '--out', out], { env: { MEMORY_VAULT_BACKUP_PASSPHRASE_FILE: backupPass } });
    expect(expectError(refused, 'FORBIDDEN').message).toMatch(/not exportable/);
    expect(existsSync(out)).toBe(false);
    // The default stays exportable.
    const other = createSandbox();
    try {
      expect(asInitResult(expectOk(await other.vcli(['init', '--kdf-memory', '8', '--kdf-ops', '1']))).exportable).toBe(true);
    } finally {
      other.cleanup();
    }
  });

  it('refuses a second init in the same directory with VAULT_EXISTS and leaves the vault untouched', async () => {
    await initVault(sb);
    const before = snapshotDir(sb.vault);
    expectError(await sb.vcli(['init', '--kdf-memory', '8', '--kdf-ops', '1']), 'VAULT_EXISTS');
    expect(snapshotDir(sb.vault)).toEqual(before);
    // A keyfile init over it is refused too, and creates no keyfile.
    const kf = join(sb.root, 'new.key');
    expectError(await sb.cli(['--vault', sb.vault, '--keyfile', kf, '--json', 'init', '--create-keyfile']), 'VAULT_EXISTS');
    expect(snapshotDir(sb.vault)).toEqual(before);
  });

  it('creates a keyfile vault with --keyfile PATH --create-keyfile (keyfile 0600, 64 bytes) and unlocks only with it', async () => {
    const kf = join(sb.root, 'vault.key');
    const r = asInitResult(expectOk(await sb.cli(['--vault', sb.vault, '--keyfile', kf, '--json', 'init', '--create-keyfile'])));
    expect(r.keySource).toBe('keyfile');
    expect(statSync(kf).mode & 0o777).toBe(0o600);
    expect(statSync(kf).size).toBe(64);
    expectPrivateVaultDir(sb.vault);
    expectOk(await sb.cli(['--vault', sb.vault, '--keyfile', kf, '--json', 'status']));
    // --create-keyfile never overwrites an existing keyfile.
    const other = join(sb.root, 'other-vault');
    expectError(await sb.cli(['--vault', other, '--keyfile', kf, '--json', 'init', '--create-keyfile']), 'INVALID_INPUT');
    expect(existsSync(join(other, 'vault.json'))).toBe(false);
  });

  it('chooses the directory from --vault, then MEMORY_VAULT_DIR, then $XDG_DATA_HOME/memory-vault', async () => {
    const flagDir = join(sb.root, 'flag-dir');
    const envDir = join(sb.root, 'env-dir');
    const xdgDir = join(sb.env.XDG_DATA_HOME ?? '', 'memory-vault');
    const init = ['--json', 'init', '--kdf-memory', '8', '--kdf-ops', '1'];

    const a = asInitResult(expectOk(await sb.cli(['--vault', flagDir, ...init], { env: { MEMORY_VAULT_DIR: envDir } })));
    expect(a.dir).toBe(flagDir);
    expect(existsSync(envDir)).toBe(false);

    const b = asInitResult(expectOk(await sb.cli(init, { env: { MEMORY_VAULT_DIR: envDir } })));
    expect(b.dir).toBe(envDir);
    expect(existsSync(xdgDir)).toBe(false);

    const c = asInitResult(expectOk(await sb.cli(init)));
    expect(c.dir).toBe(xdgDir);
    expectPrivateVaultDir(xdgDir);

    expect(new Set([a.vaultId, b.vaultId, c.vaultId]).size).toBe(3);
    // Later commands resolve the same way.
    expect(expectOk(await sb.cli(['--json', 'status'], { env: { MEMORY_VAULT_DIR: envDir } }))).toMatchObject({
      dir: envDir,
      vaultId: b.vaultId,
    });
    expect(expectOk(await sb.cli(['--json', 'status']))).toMatchObject({ dir: xdgDir, vaultId: c.vaultId });
    expect(expectOk(await sb.cli(['--vault', flagDir, '--json', 'status'], { env: { MEMORY_VAULT_DIR: envDir } }))).toMatchObject({
      vaultId: a.vaultId,
    });
  });

  it('refuses a passphrase shorter than 8 characters and writes no vault', async () => {
    writeFileSync(sb.passphraseFile, 'short\n');
    expectError(await sb.vcli(['init', '--kdf-memory', '8', '--kdf-ops', '1']), 'INVALID_INPUT');
    expect(existsSync(join(sb.vault, 'vault.json'))).toBe(false);
    expect(existsSync(join(sb.vault, 'vault.db'))).toBe(false);
  });
});

describe('unlock failures', () => {
  it('wrong passphrase → BAD_CREDENTIALS (exit 30), every vault file byte-identical', async () => {
    await initVault(sb);
    await store(sb, { level: 1, title: 'kept', content: `${CANARY} kept` });
    const before = snapshotDir(sb.vault);
    writeFileSync(sb.passphraseFile, 'not the right passphrase\n');
    const r = await sb.vcli(['recall', 'whatever']);
    expectError(r, 'BAD_CREDENTIALS');
    expect(r.exitCode).toBe(30);
    expect(snapshotDir(sb.vault)).toEqual(before);
    // Human mode: same exit code, the sentence on stderr.
    expectHumanError(await sb.cli(['--vault', sb.vault, 'status']), 'BAD_CREDENTIALS');
    expectError(await sb.vcli(['status']), 'BAD_CREDENTIALS');
    expect(snapshotDir(sb.vault)).toEqual(before);
  });

  it('keyfile vault: wrong keyfile, no --keyfile, and a passphrase all → BAD_CREDENTIALS, files unchanged', async () => {
    const kf = join(sb.root, 'vault.key');
    expectOk(await sb.cli(['--vault', sb.vault, '--keyfile', kf, '--json', 'init', '--create-keyfile']));
    const before = snapshotDir(sb.vault);
    const wrong = join(sb.root, 'wrong.key');
    writeFileSync(wrong, randomBytes(64), { mode: 0o600 });
    expectError(await sb.cli(['--vault', sb.vault, '--keyfile', wrong, '--json', 'status']), 'BAD_CREDENTIALS');
    expectError(await sb.vcli(['status']), 'BAD_CREDENTIALS');
    expectError(await sb.cli(['--vault', sb.vault, '--keyfile', join(sb.root, 'missing.key'), '--json', 'status']), 'BAD_CREDENTIALS');
    expect(snapshotDir(sb.vault)).toEqual(before);
  });

  it('passphrase vault opened with --keyfile → BAD_CREDENTIALS', async () => {
    await initVault(sb);
    const kf = join(sb.root, 'some.key');
    writeFileSync(kf, randomBytes(64), { mode: 0o600 });
    const before = snapshotDir(sb.vault);
    expectError(await sb.cli(['--vault', sb.vault, '--keyfile', kf, '--json', 'status']), 'BAD_CREDENTIALS');
    expect(snapshotDir(sb.vault)).toEqual(before);
  });

  it('no vault in the directory → VAULT_NOT_FOUND, and nothing is created', async () => {
    const r = await sb.vcli(['status']);
    expectError(r, 'VAULT_NOT_FOUND');
    expect(existsSync(sb.vault)).toBe(false);
    expectError(await sb.vcli(['recall', 'abcdef12']), 'VAULT_NOT_FOUND');
    expectError(await sb.vcli(['store', '-l', '1', '-t', 'x'], { input: `${CANARY} lost` }), 'VAULT_NOT_FOUND');
    expect(existsSync(sb.vault)).toBe(false);
  });

  it('header present but vault.db deleted → VAULT_CORRUPT and no new vault.db is created', async () => {
    await initVault(sb);
    rmSync(join(sb.vault, 'vault.db'));
    const before = snapshotDir(sb.vault);
    expectError(await sb.vcli(['status']), 'VAULT_CORRUPT');
    expectError(await sb.vcli(['store', '-l', '1', '-t', 'x'], { input: `${CANARY} nowhere` }), 'VAULT_CORRUPT');
    expect(existsSync(join(sb.vault, 'vault.db'))).toBe(false);
    expect(snapshotDir(sb.vault)).toEqual(before);
    // checkpoint.json (the signed tree head kept outside the database) is from init.
    expect(readdirSync(sb.vault).sort()).toEqual(['checkpoint.json', 'vault.json']);
  });

  it('garbage vault.db → VAULT_CORRUPT', async () => {
    await initVault(sb);
    writeFileSync(join(sb.vault, 'vault.db'), randomBytes(64 * 1024));
    expectError(await sb.vcli(['status']), 'VAULT_CORRUPT');
    expectError(await sb.vcli(['list']), 'VAULT_CORRUPT');
  });

  it('garbage vault.json → VAULT_CORRUPT', async () => {
    await initVault(sb);
    writeFileSync(join(sb.vault, 'vault.json'), '{"format":"memory-vault"');
    expectError(await sb.vcli(['status']), 'VAULT_CORRUPT');
  });
});
