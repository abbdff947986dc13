// Invariant: a file written through here is, after any crash or failed call, either its old
// content or its complete new content — never a torn mix, never absent if it existed, and no
// temporary file is left behind by a failure this process saw. The steps (POSIX): write a
// temporary sibling in the same directory (0600 unless told otherwise, so a rename never crosses
// a filesystem), fsync it, rename it over the target, fsync the directory (the entry lives in the
// directory's data). Every temp-file-then-rename writer in the vault goes through this module.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface AtomicWriteOptions {
  /** File mode of the new file; 0600 by default (vault files are the owner's alone). */
  readonly mode?: number;
  /** Refuse to replace an existing file: fails with the fs error EEXIST and leaves it untouched. */
  readonly exclusive?: boolean;
}

/** Make a rename (or link) durable. Windows cannot open a directory for fsync; NTFS journals it. */
export function fsyncDirectory(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The same off the event loop (the file system's threads do the flush). */
export async function fsyncDirectoryAsync(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A temporary sibling of `path`: a random suffix, so two writers (or a stale temp from a killed process) never share a name. */
export function tempSiblingOf(path: string): string {
  return join(dirname(path), `${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/**
 * A file being written in place of `path`. For streaming writers (backups) that need the fd;
 * everything else calls writeFileAtomic. Exactly one of commit() or abort() ends it.
 */
export class AtomicFile {
  private open = true;

  private constructor(
    private readonly path: string,
    private readonly tmp: string,
    readonly fd: number,
    private readonly exclusive: boolean,
  ) {}

  static create(path: string, opts: AtomicWriteOptions = {}): AtomicFile {
    const tmp = tempSiblingOf(path);
    const fd = openSync(tmp, 'wx', opts.mode ?? 0o600);
    return new AtomicFile(path, tmp, fd, opts.exclusive ?? false);
  }

  write(data: string | Uint8Array): void {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    // writeSync may write fewer bytes than asked (large buffers, signals): loop until done.
    while (off < bytes.length) off += writeSync(this.fd, bytes, off, bytes.length - off);
  }

  /** fsync, close, move into place, fsync the directory. On failure the temp is removed and the error rethrown. */
  commit(): void {
    try {
      fsyncSync(this.fd);
      this.close();
    } catch (e) {
      this.abort();
      throw e;
    }
    // Exclusive: claim the name first (O_EXCL fails with EEXIST instead of replacing), then rename
    // over our own empty claim. Not link(): the vault may live on a filesystem without hard links.
    if (this.exclusive) {
      try {
        closeSync(openSync(this.path, 'wx', 0o600));
      } catch (e) {
        this.abort();
        throw e;
      }
    }
    try {
      renameSync(this.tmp, this.path);
    } catch (e) {
      if (this.exclusive) rmSync(this.path, { force: true }); // our empty claim, not someone's file
      this.abort();
      throw e;
    }
    fsyncDirectory(dirname(this.path));
  }

  /** Drop the temporary file; the target keeps its old content. Safe to call more than once. */
  abort(): void {
    if (this.open) {
      try {
        this.close();
      } catch {
        // Closing a failed fd can fail again; the file is removed below either way.
      }
    }
    rmSync(this.tmp, { force: true });
  }

  private close(): void {
    this.open = false;
    closeSync(this.fd);
  }
}

/** Replace (or with `exclusive`, create) `path` with `data`, atomically and durably. */
export function writeFileAtomic(path: string, data: string | Uint8Array, opts: AtomicWriteOptions = {}): void {
  const f = AtomicFile.create(path, opts);
  try {
    f.write(data);
  } catch (e) {
    f.abort();
    throw e;
  }
  f.commit();
}
