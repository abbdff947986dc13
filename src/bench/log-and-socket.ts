// `npm run bench` part 2 — the transparency log and the agent socket:
//   append/s (batched), audited level-1 recall/s at a small and a large log, inclusion +
//   consistency proof time, full verification time, and level-1 recall over the socket
//   (p50/p99 with one client, throughput with 8 concurrent clients).
// Usage: node dist/bench/log-and-socket.js [--quick] [--events N] [--out FILE]
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { proveRecord, proveTree, checkRecord, checkTree, treeHash, hashLeaf } from '../core/audit/index.js';
import { AuditWriter } from '../core/engine/audit-writer.js';
import type { Requester } from '../core/model/requester.js';
import { systemClock } from '../core/ports/clock.port.js';
import { hashReaderOf } from '../core/transparency/repo-hash-reader.js';
import { AgentClient } from '../node/agent-api/agent-client.js';
import { startVaultServer } from '../node/agent-api/vault-server.js';
import { initVault } from '../node/composition/vault-sessions.js';
import { type VaultSession } from '../node/vault/vault-session.js';
import { restoreBackup } from '../node/backup/backup-restore.js';
import { writeBackup } from '../node/backup/backup-writer.js';
import { percentile, pool } from './workload.js';

const OWNER: Requester = { kind: 'owner', channel: 'cli' };
const CHEAP_KDF = { memLimitBytes: 8 * 1024 * 1024, opsLimit: 1 };
const CREDENTIALS = { kind: 'passphrase', passphrase: 'benchmark passphrase, not a secret' } as const;
const UNLIMITED = { perConnection: { ratePerSecond: 1e9, burst: 1e9 }, perAgent: { ratePerSecond: 1e9, burst: 1e9 } };

interface Row {
  readonly metric: string;
  readonly value: string;
  readonly target: string;
  readonly met: boolean | null;
}

const progress = (m: string) => process.stderr.write(`[bench] ${m}\n`);
const int = (x: number) => Math.round(x).toLocaleString('en-US');

function args(argv: readonly string[]): { events: number; out: string } {
  let events = 1_000_000;
  let out = 'bench-log-socket.json';
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--quick') events = 20_000;
    else if (argv[i] === '--events') events = Number(argv[++i]);
    else if (argv[i] === '--out') out = argv[++i] ?? out;
    else if (argv[i] === '--sizes')
      i++; // accepted for symmetry with run.js
    else throw new Error(`unknown argument ${argv[i] ?? ''}`);
  }
  if (!Number.isInteger(events) || events < 1000) throw new Error('--events must be an integer ≥ 1000');
  return { events, out };
}

async function withVault<T>(fn: (s: VaultSession, dir: string) => Promise<T>): Promise<T> {
  const root = mkdtempSync(join(tmpdir(), 'mv-bench-log-'));
  const session = await initVault({
    dir: join(root, 'vault'),
    credentials: CREDENTIALS,
    kdfCost: CHEAP_KDF,
    config: { checkpoints: { everyEvents: 100_000, everyMs: 3_600_000 } },
  });
  try {
    return await fn(session, join(root, 'vault'));
  } finally {
    session.close();
    rmSync(root, { recursive: true, force: true });
  }
}

/** Append `n` synthetic events in transactions of `batch`; returns events/s. */
function appendEvents(s: VaultSession, n: number, batch = 5_000): number {
  const writer = new AuditWriter(s.repo, systemClock);
  const t0 = performance.now();
  for (let done = 0; done < n; done += batch) {
    s.repo.transaction(() => {
      for (let i = 0; i < Math.min(batch, n - done); i++) {
        writer.append({
          kind: 'memory.recall',
          actor: { type: 'agent', id: 'bench' },
          outcome: 'ok',
          memory: { id: `00000000-0000-4000-8000-${String(done + i).padStart(12, '0')}`, level: 1 },
        });
      }
    }, 'normal');
    if ((done / batch) % 40 === 0) progress(`  appended ${int(done)} / ${int(n)}`);
  }
  return n / ((performance.now() - t0) / 1000);
}

async function recallRate(s: VaultSession, ids: readonly string[], total: number): Promise<number> {
  const t0 = performance.now();
  await pool(total, 256, (i) => s.engine.recall({ memoryId: ids[i % ids.length] as string }, OWNER));
  return total / ((performance.now() - t0) / 1000);
}

async function logBench(events: number): Promise<Row[]> {
  return withVault(async (s) => {
    const ids: string[] = [];
    for (let i = 0; i < 1000; i++) ids.push((await s.engine.store({ content: `bench memory ${i}`, level: 1, title: `b${i}` }, OWNER)).id);
    await recallRate(s, ids, 5_000); // warm-up
    progress('recall/s with a small log');
    const small = await recallRate(s, ids, 20_000);
    const smallSize = s.repo.auditSize();
    progress(`appending ${int(events)} events (batched)`);
    const appendPerSec = appendEvents(s, events);
    await s.engine.auditLog.checkpointNow();
    progress('recall/s with the large log');
    const large = await recallRate(s, ids, 20_000);
    const n = s.repo.auditSize();
    const reader = hashReaderOf(s.repo);
    const root = treeHash(n, reader);
    const proofs = 2_000;
    const cases = Array.from({ length: proofs }, (_, i) => ({
      idx: Math.floor((i * 2654435761) % n),
      old: 1 + Math.floor((i * 40503) % (n - 1)),
    }));
    // Generation (what the vault does per request) timed apart from the auditor-side checks.
    const made: { ip: Uint8Array[]; cp: Uint8Array[] }[] = [];
    const t0 = performance.now();
    for (const c of cases) made.push({ ip: proveRecord(n, c.idx, reader), cp: proveTree(n, c.old, reader) });
    const proofMs = (performance.now() - t0) / proofs;
    const t1 = performance.now();
    cases.forEach((c, i) => {
      const rec = s.repo.readAuditRecords(c.idx, 1)[0];
      const m = made[i];
      if (!rec || !m) throw new Error('missing event');
      if (!checkRecord(m.ip, n, root, c.idx, hashLeaf(Buffer.from(rec.json, 'utf8'))).ok) throw new Error('inclusion proof failed');
      if (!checkTree(m.cp, n, root, c.old, treeHash(c.old, reader)).ok) throw new Error('consistency proof failed');
    });
    const checkMs = (performance.now() - t1) / proofs;
    progress(`full verification of ${int(n)} events`);
    const v0 = performance.now();
    const verified = await s.engine.auditLog.verify();
    const verifyS = (performance.now() - v0) / 1000;
    if (!verified.ok) throw new Error('verification failed');
    const flat = large / small;
    return [
      { metric: 'audit append/s (batched, 5k per tx)', value: int(appendPerSec), target: '≥ 20,000/s', met: appendPerSec >= 20_000 },
      { metric: `audited L1 recall/s at ${int(smallSize)} events`, value: int(small), target: '(reference)', met: null },
      {
        metric: `audited L1 recall/s at ${int(n)} events`,
        value: `${int(large)} (${(flat * 100).toFixed(0)}%)`,
        target: 'within 10% of small',
        met: flat >= 0.9,
      },
      {
        metric: `inclusion + consistency proof at ${int(n)} leaves`,
        value: `${proofMs.toFixed(3)} ms`,
        target: '< 1 ms',
        met: proofMs < 1,
      },
      { metric: '  (checking both, auditor side, incl. old root)', value: `${checkMs.toFixed(3)} ms`, target: '(informative)', met: null },
      {
        metric: `full verify of ${int(n)} events`,
        value: `${verifyS.toFixed(2)} s`,
        target: events >= 1_000_000 ? '< 10 s' : '< 10 s per 1M',
        met: verifyS * (1_000_000 / n) < 10,
      },
    ];
  });
}

async function socketBench(): Promise<Row[]> {
  return withVault(async (s) => {
    const server = await startVaultServer(s, { limits: UNLIMITED });
    try {
      const { token } = server.registry.create({ name: 'bench', maxLevel: 2, namespaces: null, expiresAt: null });
      const clients = await Promise.all(Array.from({ length: 8 }, () => AgentClient.connect({ socketPath: server.agentSocket, token })));
      const first = clients[0] as AgentClient;
      const ids: string[] = [];
      for (let i = 0; i < 500; i++) ids.push((await first.store({ content: `socket bench ${i}`, level: 1, title: `s${i}` })).id);
      for (let i = 0; i < 1000; i++) await first.recall(ids[i % ids.length] as string);
      progress('socket: one client, sequential recalls');
      const lat: number[] = [];
      for (let i = 0; i < 5_000; i++) {
        const t = performance.now();
        await first.recall(ids[i % ids.length] as string);
        lat.push(performance.now() - t);
      }
      lat.sort((a, b) => a - b);
      progress('socket: 8 clients, concurrent recalls');
      const total = 40_000;
      const t0 = performance.now();
      await Promise.all(clients.map((c, k) => pool(total / 8, 32, (i) => c.recall(ids[(i * 8 + k) % ids.length] as string))));
      const perSec = total / ((performance.now() - t0) / 1000);
      for (const c of clients) c.close();
      const p50 = percentile(lat, 50);
      const p99 = percentile(lat, 99);
      return [
        { metric: 'socket L1 recall p50, 1 client', value: `${p50.toFixed(3)} ms`, target: '< 1 ms', met: p50 < 1 },
        { metric: 'socket L1 recall p99, 1 client', value: `${p99.toFixed(3)} ms`, target: '< 5 ms', met: p99 < 5 },
        { metric: 'socket audited recalls/s, 8 clients', value: int(perSec), target: '≥ 5,000/s', met: perSec >= 5_000 },
      ];
    } finally {
      await server.close();
    }
  });
}

function render(rows: readonly Row[]): string {
  const w = [
    Math.max(...rows.map((r) => r.metric.length)),
    Math.max(...rows.map((r) => r.value.length)),
    Math.max(...rows.map((r) => r.target.length)),
  ];
  return rows
    .map(
      (r) =>
        `${r.metric.padEnd(w[0] ?? 0)}  ${r.value.padStart(w[1] ?? 0)}  ${r.target.padEnd(w[2] ?? 0)}  ${r.met === null ? '' : r.met ? 'ok' : 'MISS'}`,
    )
    .join('\n');
}

async function backupBench(memories: number): Promise<Row[]> {
  return withVault(async (s, dir) => {
    for (let done = 0; done < memories; done += 100) {
      await Promise.all(
        Array.from({ length: Math.min(100, memories - done) }, (_, i) =>
          s.engine.store({ content: randomBytesText(64 * 1024, done + i), level: 1, title: `b${done + i}` }, OWNER),
        ),
      );
    }
    await s.engine.auditLog.checkpointNow();
    s.tables.connection.checkpointWal();
    const bytes = statSync(join(dir, 'vault.db')).size;
    const out = join(dir, '..', 'bench.mvbak');
    const t0 = performance.now();
    await writeBackup(s, { out, protection: { kind: 'passphrase', passphrase: 'bench backup passphrase', kdfCost: CHEAP_KDF } });
    const backupS = (performance.now() - t0) / 1000;
    const target = join(dir, '..', 'restored');
    const t1 = performance.now();
    await restoreBackup({
      files: [out],
      target,
      backupUnlock: { passphrase: 'bench backup passphrase' },
      credentials: CREDENTIALS,
      verifierKey: s.engine.auditLog.verifierKey,
    });
    const restoreS = (performance.now() - t1) / 1000;
    const mbps = (sec: number) => bytes / 1e6 / sec;
    return [
      {
        metric: `backup of a ${(bytes / 1e6).toFixed(0)} MB vault`,
        value: `${mbps(backupS).toFixed(1)} MB/s`,
        target: '≥ 50 MB/s',
        met: mbps(backupS) >= 50,
      },
      {
        metric: `restore of a ${(bytes / 1e6).toFixed(0)} MB vault (incl. verification)`,
        value: `${mbps(restoreS).toFixed(1)} MB/s`,
        target: '≥ 50 MB/s',
        met: mbps(restoreS) >= 50,
      },
    ];
  });
}

/** Incompressible-looking text content (base64 of pseudo-random bytes). */
function randomBytesText(length: number, seed: number): string {
  let x = seed * 2654435761 + 1;
  const b = Buffer.alloc((length * 3) / 4);
  for (let i = 0; i < b.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b.toString('base64');
}

async function main(): Promise<void> {
  const { events, out } = args(process.argv.slice(2));
  const rows = [...(await logBench(events)), ...(await socketBench()), ...(await backupBench(events >= 1_000_000 ? 1_000 : 100))];
  process.stdout.write(
    `\n${render(rows)}\nCaveat: ${cpus().length} shared cores; load average now ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} — neighbours add ±20% or more.\n`,
  );
  writeFileSync(out, `${JSON.stringify({ generatedAt: new Date().toISOString(), events, rows, loadAverage: loadavg() }, null, 2)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`[bench] failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
