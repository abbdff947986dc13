// `npm run soak` (opt-in, long): grow a vault to many memories and audit events, verify the
// whole log, time inclusion + consistency proofs at that size, rotate the keys, back up and
// restore, and verify again — printing timings, sizes, disk use and the process's peak RSS.
// Usage: node dist/bench/soak.js [--memories 100000] [--events 1000000] [--log-only]
// (issue 17: --events 10000000 --log-only grows the log to 10M and times verification and proofs;
// --log-only skips rotation, backup and restore, which at that size add tens of minutes.)
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
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
import { timeProofs } from './proof-timing.js';

const OWNER: Requester = { kind: 'owner', channel: 'cli' };
const CREDENTIALS = { kind: 'passphrase', passphrase: 'soak passphrase, not a secret' } as const;
const CHEAP_KDF = { memLimitBytes: 8 * 1024 * 1024, opsLimit: 1 };

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer`);
  return v;
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

/** Bytes of every file under `dir` (the vault, its WAL, the backup and the restored copy). */
function diskUse(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    total += e.isDirectory() ? diskUse(p) : statSync(p).size;
  }
  return total;
}

function summary(events: number, root: string): string {
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  return `events ${events.toLocaleString()}; disk now ${mib(diskUse(root))}, peak ${mib(peakDisk)}; peak RSS ${mib(process.resourceUsage().maxRSS * 1024)}; load average ${load}`;
}

/** The largest disk use any step left behind (sampled after each step). */
let peakDisk = 0;

async function step<T>(label: string, root: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const v = await fn();
  const s = (performance.now() - t0) / 1000;
  const disk = diskUse(root);
  peakDisk = Math.max(peakDisk, disk);
  const rss = process.memoryUsage().rss;
  process.stdout.write(`${label.padEnd(48)} ${s.toFixed(2).padStart(8)} s   disk ${mib(disk).padStart(9)}   rss ${mib(rss).padStart(8)}\n`);
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
    await step(`store ${memories.toLocaleString()} memories`, root, async () => {
      for (let done = 0; done < memories; done += 1000) {
        await Promise.all(
          Array.from({ length: Math.min(1000, memories - done) }, (_, i) =>
            s0.engine.store({ content: `soak memory ${done + i}`, level: parseLevel((done + i) % 3), title: `soak ${done + i}` }, OWNER),
          ),
        );
      }
    });
    const extra = Math.max(0, events - s0.repo.auditSize());
    await step(`append ${extra.toLocaleString()} more audit events`, root, async () => {
      const w = new AuditWriter(s0.repo, systemClock);
      for (let done = 0; done < extra; done += 5000) {
        s0.repo.transaction(() => {
          for (let i = 0; i < Math.min(5000, extra - done); i++)
            w.append({ kind: 'memory.search', actor: { type: 'system', id: 'soak' }, outcome: 'ok' });
        }, 'normal');
        if ((done + 5000) % 1_000_000 === 0) process.stderr.write(`[soak]   appended ${(done + 5000).toLocaleString()}\n`);
      }
    });
    const v1 = await step('verify the whole log', root, () => s0.engine.auditLog.verify());
    if (!v1.ok) throw new Error(`verification failed: ${JSON.stringify(v1.damage)}`);
    const proofs = await step('2,000 inclusion + consistency proofs', root, () => Promise.resolve(timeProofs(s0.repo)));
    process.stdout.write(
      `  at ${proofs.leaves.toLocaleString()} leaves: ${proofs.proveMs.toFixed(3)} ms per proof pair (target < 1 ms), checking ${proofs.checkMs.toFixed(3)} ms\n`,
    );
    if (process.argv.includes('--log-only')) {
      s0.close();
      process.stdout.write(`${summary(v1.events, root)}\n`);
      return;
    }
    await step('rotate keys (rewrap every DEK, rekey database)', root, () => rotateProfileKey(s0, { credentials: CREDENTIALS }));
    session = await unlockVault({ dir, credentials: CREDENTIALS });
    const s1 = session;
    const backup = join(root, 'soak.mvbak');
    await step('full backup', root, () =>
      writeBackup(s1, { out: backup, protection: { kind: 'passphrase', passphrase: 'soak backup passphrase', kdfCost: CHEAP_KDF } }),
    );
    const auditKey = s1.engine.auditLog.verifierKey;
    s1.close();
    const restored = join(root, 'restored');
    await step('restore (verified in staging)', root, () =>
      restoreBackup({
        files: [backup],
        target: restored,
        backupUnlock: { passphrase: 'soak backup passphrase' },
        credentials: CREDENTIALS,
        verifierKey: auditKey,
      }),
    );
    const s2 = await unlockVault({ dir: restored, credentials: CREDENTIALS });
    const v2 = await step('verify the restored log', root, () => s2.engine.auditLog.verify());
    s2.close();
    if (!v2.ok) throw new Error('restored log does not verify');
    const size = (p: string) => statSync(p).size;
    process.stdout.write(
      `events ${v2.events.toLocaleString()}, checkpoints ${v2.checkpoints}; vault.db ${(size(join(restored, 'vault.db')) / 1e6).toFixed(1)} MB; backup ${(size(backup) / 1e6).toFixed(1)} MB\n` +
        `${summary(v2.events, root)}\n`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`[soak] failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
