// A rendered template on disk for the length of one command. Invariants: the file is created
// new (O_EXCL) with mode 0600 inside a fresh 0700 directory (or at the owner's --out path, which
// must not exist), on a RAM-backed filesystem where one is available; `remove` overwrites and
// deletes it and its directory and is safe to call more than once; `removeOnSignal` makes
// SIGINT/SIGTERM/exit of this process remove it too (a SIGKILL of memory-vault itself cannot be
// caught — docs/SECRETS.md says so, and the RAM filesystem bounds the damage to this boot).
import { closeSync, existsSync, fsyncSync, mkdtempSync, openSync, rmdirSync, statSync, unlinkSync, writeSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VaultError } from '../../core/errors.js';

export interface PrivateFile {
  readonly path: string;
  /** Overwrite with zeros, unlink, remove the private directory. Idempotent, never throws. */
  remove(): void;
}

function isWritableDir(dir: string | undefined): dir is string {
  if (!dir) return false;
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** Where private files go: /dev/shm (RAM), else $XDG_RUNTIME_DIR (per-user, usually RAM), else the temp dir. */
export function privateBaseDir(env: NodeJS.ProcessEnv = process.env): string {
  for (const d of ['/dev/shm', env.XDG_RUNTIME_DIR]) if (isWritableDir(d)) return d;
  return tmpdir();
}

function writeAll(fd: number, data: Buffer): void {
  for (let off = 0; off < data.length;) off += writeSync(fd, data, off, data.length - off);
}

/** Write `data` to a new private file (see the header). INVALID_INPUT when `outPath` exists or cannot be created. */
export function writePrivateFile(data: Buffer, outPath?: string, baseDir: string = privateBaseDir()): PrivateFile {
  let dir: string | null = null;
  let path: string;
  if (outPath !== undefined) {
    if (existsSync(outPath))
      throw new VaultError('INVALID_INPUT', 'The --out file already exists; inject writes only a new file and removes it afterwards.');
    path = outPath;
  } else {
    try {
      dir = mkdtempSync(join(baseDir, 'memory-vault-inject-'));
      chmodSync(dir, 0o700);
    } catch {
      throw new VaultError('INVALID_INPUT', 'A private directory for the rendered template cannot be created.');
    }
    path = join(dir, 'rendered');
  }
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch {
    if (dir) rmdirSync(dir);
    throw new VaultError('INVALID_INPUT', 'The rendered file cannot be created.');
  }
  const size = data.length;
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    try {
      const z = openSync(path, 'r+');
      try {
        writeAll(z, Buffer.alloc(size));
        fsyncSync(z);
      } finally {
        closeSync(z);
      }
    } catch {
      // Gone already or not ours to open: unlink below still runs.
    }
    try {
      unlinkSync(path);
    } catch {
      // Already removed (e.g. by the command itself).
    }
    if (dir) {
      try {
        rmdirSync(dir);
      } catch {
        // Not empty: the command left files there; the rendered one is gone.
      }
    }
  };
  try {
    chmodSync(path, 0o600);
    writeAll(fd, data);
  } catch {
    closeSync(fd);
    remove();
    throw new VaultError('INVALID_INPUT', 'The rendered file cannot be written.');
  }
  closeSync(fd);
  return { path, remove };
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Until the returned function is called: removing `file` (and running `onSignal`, e.g. killing
 * the child) when this process gets SIGINT/SIGTERM/SIGHUP or exits. After a signal the process
 * exits with 128 + signal number, as a shell would report it.
 */
export function removeOnSignal(file: PrivateFile, onSignal: () => void = () => undefined): () => void {
  const codes: Record<(typeof SIGNALS)[number], number> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };
  const handlers = SIGNALS.map((sig) => {
    const h = () => {
      onSignal();
      file.remove();
      process.exit(codes[sig]);
    };
    process.on(sig, h);
    return [sig, h] as const;
  });
  const onExit = () => file.remove();
  process.on('exit', onExit);
  return () => {
    for (const [sig, h] of handlers) process.off(sig, h);
    process.off('exit', onExit);
  };
}
