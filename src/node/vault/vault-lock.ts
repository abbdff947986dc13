// One process owns a vault at a time. A second opener gets VAULT_BUSY instead of a second
// SQLite connection racing the first (the owner CLI talks to a running server instead).
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { VaultError } from '../../core/errors.js';

export const LOCK_FILE = 'vault.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return typeof e === 'object' && e !== null && 'code' in e && e.code === 'EPERM';
  }
}

export interface VaultLock {
  release(): void;
  /** The locked directory was renamed (a restore moved the old vault aside): release the lock there. */
  movedTo(dir: string): void;
}

export function acquireVaultLock(dir: string): VaultLock {
  let path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          try {
            // Only our own lock: a file another process created here since is theirs.
            if (Number.parseInt(readFileSync(path, 'utf8').trim(), 10) === process.pid) unlinkSync(path);
          } catch {
            /* already gone */
          }
        },
        movedTo(newDir: string) {
          path = join(newDir, LOCK_FILE);
        },
      };
    } catch (e) {
      if (!(typeof e === 'object' && e !== null && 'code' in e && e.code === 'EEXIST')) throw e;
      const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new VaultError('VAULT_BUSY', `The vault is open in another process (pid ${pid}).`, { pid });
      }
      if (pid === process.pid) throw new VaultError('VAULT_BUSY', 'The vault is already open in this process.');
      // Stale lock from a crashed process: remove and retry once.
      unlinkSync(path);
    }
  }
  throw new VaultError('VAULT_BUSY', 'The vault lock could not be acquired.');
}
