// Invariant: TPM work files (saved contexts, policy digests, public/encrypted-private blobs,
// PCR values — never a plaintext secret or PIN) live in a fresh 0700 directory, in RAM when
// /dev/shm exists, and the directory is removed when the operation ends, success or failure.

import { mkdtemp, chmod, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

async function baseDir(): Promise<string> {
  try {
    const s = await stat('/dev/shm');
    if (s.isDirectory()) return '/dev/shm';
  } catch {
    // no /dev/shm (macOS, some containers): fall back to the OS temp dir
  }
  return tmpdir();
}

/** Runs `fn` with a private temp dir that is removed afterwards. */
export async function withWorkDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(await baseDir(), 'mv-tpm-'));
  try {
    await chmod(dir, 0o700);
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
