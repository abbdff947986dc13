// A backup written by the vault worker (backup-writer.ts → backup-stream.ts in vault-worker.ts):
// it verifies, its header's toSeq is the log size the snapshot saw while the session kept
// committing, progress reaches the file's size, and a cancel fails with CANCELLED leaving no file.
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyBackup } from '../backup/backup-verify.js';
import { writeBackup } from '../backup/backup-writer.js';
import { CHEAP_KDF, newVault } from '../../../tests/support/vault-fixture.js';
import type { VaultSession } from '../vault/vault-session.js';

const UNLOCK = { passphrase: 'backup passphrase 123' };
const PROTECTION = { kind: 'passphrase', passphrase: UNLOCK.passphrase, kdfCost: CHEAP_KDF } as const;
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

async function vaultWithMemories(n: number): Promise<{ session: VaultSession; dir: string }> {
  const v = await newVault();
  cleanups.push(v.remove, () => v.session.close());
  const owner = { kind: 'owner', channel: 'cli' } as const;
  await Promise.all(
    Array.from({ length: n }, (_, i) => v.session.engine.store({ content: `memory ${i} `.repeat(200), level: 1, title: `m${i}` }, owner)),
  );
  return { session: v.session, dir: v.dir };
}

describe('backup in a worker thread', () => {
  it('writes a backup that verifies, reporting progress up to the file size, while the session keeps committing', async () => {
    const { session, dir } = await vaultWithMemories(40);
    const out = join(dirname(dir), 'full.mvb');
    const progress: { bytes: number; rows: number }[] = [];
    const writing = writeBackup(session, { out, protection: PROTECTION, chunkBytes: 4096, onProgress: (p) => progress.push(p) });
    // Commits during the backup land after its snapshot or before it, never half in it.
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        session.engine.recordEvent(
          { kind: 'memory.list', actor: { type: 'owner', id: 'cli' }, outcome: 'ok', details: { results: i } },
          'normal',
        ),
      ),
    );
    const header = await writing;
    const report = await verifyBackup(out, UNLOCK, { verifierKey: session.engine.auditLog.verifierKey });
    expect(report.auditEvents).toBe(header.toSeq);
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.at(-1)?.bytes).toBe(statSync(out).size);
    expect(progress.map((p) => p.bytes)).toEqual([...progress.map((p) => p.bytes)].sort((a, b) => a - b));
    expect(session.engine.auditLog.list({ kind: 'backup.create', limit: 10 })).toHaveLength(1);
  });

  it('a cancelled backup fails with CANCELLED, leaves no file or temporary file, and is not recorded', async () => {
    const { session, dir } = await vaultWithMemories(40);
    const out = join(dirname(dir), 'cancelled.mvb');
    const ac = new AbortController();
    const writing = writeBackup(session, {
      out,
      protection: PROTECTION,
      chunkBytes: 4096,
      signal: ac.signal,
      onProgress: () => ac.abort(),
    });
    await expect(writing).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(readdirSync(dirname(dir)).filter((f) => f.startsWith('cancelled'))).toEqual([]);
    expect(session.engine.auditLog.list({ kind: 'backup.create', limit: 10 })).toHaveLength(0);
    const before = new AbortController();
    before.abort();
    await expect(writeBackup(session, { out, protection: PROTECTION, signal: before.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
