// `npm run soak` (opt-in, long): grow a vault to many memories and audit events, verify the
// whole log, rotate the keys, back up and restore, and verify again — printing timings and sizes.
// Usage: node dist/bench/soak.js [--memories 100000] [--events 1000000]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseLevel } from '../core/common/level.schema.js';
import { AuditWriter } from '../core/engine/audit-writer.js';
import type { Requester } from '../core/model/requester.js';
import { systemClock } from '../core/ports/clock.port.js';
import { restoreBackup } from '../node/backup/backup-restore.js';
import { writeBackup } from '../node/backup/backup-writer.js';
import { rotateProfileKey } from '../node/rotation/rotate-profile-key.js';
import { initVault, unlockVault } from '../node/composition/vault-sessions.js';

const OWNER: Requester = { kind: 'owner', channel: 'cli' };
const CREDENTIALS = { kind: 'passphrase', passphrase: 'soak passphrase, not a secret' } as const;
const CHEAP_KDF = { memLimitBytes: 8 * 1024 * 1024, opsLimit: 1 };

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer`);
  return v;
}

async function step<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const v = await fn();
  process.stdout.write(`${label.padEnd(44)} ${((performance.now() - t0) / 1000).toFixed(2).padStart(8)} s\n`);
  return v;
}

async function main(): Promise<void> {
  const memories = arg('--memories', 100_000);
  const events = arg('--events', 1_000_000);
  const root = mkdtempSync(join(tmpdir(), 'mv-soak-'));
  const dir = join(root, 'vault');
  try {
    let session = await initVault({ dir, credentials: CREDENTIALS, kdfCost: CHEAP_KDF });
    const s0 = session;
    await step(`store ${memories.toLocaleString()} memories`, async () => {
      for (let done = 0; done < memories; done += 1000) {
        await Promise.all(
          Array.from({ length: Math.min(1000, memories - done) }, (_, i) =>
            s0.engine.store({ content: `soak memory ${done + i}`, level: parseLevel((done + i) % 3), title: `soak ${done + i}` }, OWNER),
          ),
        );
      }
    });
    const extra = Math.max(0, events - s0.repo.auditSize());
    await step(`append ${extra.toLocaleString()} more audit events`, async () => {
      const w = new AuditWriter(s0.repo, systemClock);
      for (let done = 0; done < extra; done += 5000) {
        s0.repo.transaction(() => {
          for (let i = 0; i < Math.min(5000, extra - done); i++)
            w.append({ kind: 'memory.search', actor: { type: 'system', id: 'soak' }, outcome: 'ok' });
        }, 'normal');
      }
    });
    const v1 = await step('verify the whole log', () => s0.engine.auditLog.verify());
    if (!v1.ok) throw new Error(`verification failed: ${JSON.stringify(v1.damage)}`);
    await step('rotate keys (rewrap every DEK, rekey database)', () => rotateProfileKey(s0, { credentials: CREDENTIALS }));
    session = await unlockVault({ dir, credentials: CREDENTIALS });
    const s1 = session;
    const backup = join(root, 'soak.mvbak');
    await step('full backup', () =>
      writeBackup(s1, { out: backup, protection: { kind: 'passphrase', passphrase: 'soak backup passphrase', kdfCost: CHEAP_KDF } }),
    );
    const auditKey = s1.engine.auditLog.verifierKey;
    s1.close();
    const restored = join(root, 'restored');
    await step('restore (verified in staging)', () =>
      restoreBackup({
        files: [backup],
        target: restored,
        backupUnlock: { passphrase: 'soak backup passphrase' },
        credentials: CREDENTIALS,
        verifierKey: auditKey,
      }),
    );
    const s2 = await unlockVault({ dir: restored, credentials: CREDENTIALS });
    const v2 = await step('verify the restored log', () => s2.engine.auditLog.verify());
    s2.close();
    if (!v2.ok) throw new Error('restored log does not verify');
    const size = (p: string) => statSync(p).size;
    process.stdout.write(
      `events ${v2.events.toLocaleString()}, checkpoints ${v2.checkpoints}; vault.db ${(size(join(restored, 'vault.db')) / 1e6).toFixed(1)} MB; backup ${(size(backup) / 1e6).toFixed(1)} MB\n`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`[soak] failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
