import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WalFlusher } from './wal-flush.js';

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});
function dir(): string {
  const d = mkdtempSync(join(tmpdir(), 'mv-walflush-'));
  dirs.push(d);
  return d;
}

describe('WalFlusher', () => {
  it('flushes the -wal file, sharing one flush among callers that arrive while one is in flight', async () => {
    const d = dir();
    writeFileSync(join(d, 'vault.db'), 'main');
    writeFileSync(join(d, 'vault.db-wal'), 'frames');
    const f = new WalFlusher(join(d, 'vault.db'));
    const first = f.flush();
    const [second, third] = [f.flush(), f.flush()];
    expect(second).toBe(third);
    await expect(Promise.all([first, second, third])).resolves.toEqual([undefined, undefined, undefined]);
  });

  it('flushes the main file when there is no -wal file, and fails when neither exists', async () => {
    const d = dir();
    writeFileSync(join(d, 'vault.db'), 'main');
    await expect(new WalFlusher(join(d, 'vault.db')).flush()).resolves.toBeUndefined();
    await expect(new WalFlusher(join(d, 'missing.db')).flush()).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
