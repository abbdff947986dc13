import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VaultError } from '../../core/errors.js';
import { acquireVaultLock, LOCK_FILE } from './vault-lock.js';

let root = '';
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('vault lock', () => {
  it('a second acquire in the same process is VAULT_BUSY', () => {
    root = mkdtempSync(join(tmpdir(), 'mv-lock-'));
    const lock = acquireVaultLock(root);
    let code = '';
    try {
      acquireVaultLock(root);
    } catch (e) {
      code = e instanceof VaultError ? e.code : 'other';
    }
    expect(code).toBe('VAULT_BUSY');
    lock.release();
    expect(existsSync(join(root, LOCK_FILE))).toBe(false);
  });

  it('after the directory moved, release removes the moved lock and never a lock another process took at the old path', () => {
    root = mkdtempSync(join(tmpdir(), 'mv-lock-'));
    const dir = join(root, 'vault');
    const aside = join(root, 'vault.pre-restore');
    mkdirSync(dir);
    const lock = acquireVaultLock(dir);
    renameSync(dir, aside);
    lock.movedTo(aside);
    mkdirSync(dir);
    writeFileSync(join(dir, LOCK_FILE), '999999\n'); // someone else's lock on the new vault
    lock.release();
    expect(existsSync(join(aside, LOCK_FILE))).toBe(false);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe('999999\n');
  });
});
