// `npm run bench` part 2 — the transparency log and the agent socket:
//   append/s (batched), audited level-1 recall/s at a small and a large log, inclusion +
//   consistency proof time, full verification time, and level-1 recall over the socket
//   (p50/p99 with one client, throughput with 8 concurrent clients). Ceilings measured in the same
//   run (issue 17 item 4): the same socket client against a server that answers at once, and bare
//   SHA-256 over leaves and nodes for the verification; each figure is also printed as a fraction.
// Usage: node dist/bench/log-and-socket.js [--quick] [--events N] [--out FILE]
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { AuditWriter } from '../core/engine/audit-writer.js';
import type { Requester } from '../core/model/requester.js';
import { systemClock } from '../core/ports/clock.port.js';
import { AgentClient } from '../node/agent-api/agent-client.js';
import { startVaultServer } from '../node/agent-api/vault-server.js';
import { initVault } from '../node/composition/vault-sessions.js';
import { type VaultSession } from '../node/vault/vault-session.js';
import { restoreBackup } from '../node/backup/backup-restore.js';
import { writeBackup } from '../node/backup/backup-writer.js';
import { figure, type Figure } from './bench-report.js';
import { hashCeiling } from './ceilings.js';
import { startEmptyServer } from './empty-handler-server.js';
import { timeProofs } from './proof-timing.js';
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
  /** The row as a figure (with its ceiling and ratio where the run measured one), for the JSON report. */
  readonly figure?: Figure;
}

/** A row whose value, ratio, target and verdict all come from its figure. */
function figureRow(f: Figure, value: string): Row {
  return { metric: f.label, value, target: f.target ?? '(informative)', met: f.met, figure: f };
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
    const { leaves: n, proveMs: proofMs, checkMs } = timeProofs(s.repo);
    progress(`full verification of ${int(n)} events`);
    const v0 = performance.now();
    const verified = await s.engine.auditLog.verify();
    const verifyS = (performance.now() - v0) / 1000;
    if (!verified.ok) throw new Error('verification failed');
    const flat = large / small;
    // The verification's floor: one SHA-256 per leaf (of the records' mean size) and per interior node.
    const sample = s.repo.readAuditRecords(Math.max(0, n - 1_000), 1_000);
    const leafBytes = sample.reduce((sum, r) => sum + Buffer.byteLength(r.json, 'utf8'), 0) / Math.max(1, sample.length);
    const hashOps = 200_000;
    const verifyFloorS = n / hashCeiling(Math.round(leafBytes) + 1, hashOps) + n / hashCeiling(65, hashOps);
    const verify = figure({
      id: 'log.verify',
      label: `full verify of ${int(n)} events`,
      value: verifyS,
      unit: 's',
      higherIsBetter: false,
      ceiling: verifyFloorS,
      target: events >= 1_000_000 ? '< 10 s' : '< 10 s per 1M',
      met: verifyS * (1_000_000 / n) < 10,
    });
    return [
      figureRow(
        figure({
          id: 'log.append',
          label: 'audit append/s (batched, 5k per tx)',
          value: appendPerSec,
          unit: '/s',
          higherIsBetter: true,
          target: '≥ 20,000/s',
          met: appendPerSec >= 20_000,
        }),
        int(appendPerSec),
      ),
      figureRow(
        figure({
          id: 'log.recall.small',
          label: `audited L1 recall/s at ${int(smallSize)} events`,
          value: small,
          unit: '/s',
          higherIsBetter: true,
          target: '(reference)',
        }),
        int(small),
      ),
      figureRow(
        figure({
          id: 'log.recall.large',
          label: `audited L1 recall/s at ${int(n)} events`,
          value: large,
          unit: '/s',
          higherIsBetter: true,
          ceiling: small,
          target: 'within 10% of small',
          met: flat >= 0.9,
        }),
        `${int(large)} (${(flat * 100).toFixed(0)}%)`,
      ),
      figureRow(
        figure({
          id: 'log.proofs',
          label: `inclusion + consistency proof at ${int(n)} leaves`,
          value: proofMs,
          unit: 'ms',
          higherIsBetter: false,
          target: '< 1 ms',
          met: proofMs < 1,
        }),
        `${proofMs.toFixed(3)} ms`,
      ),
      figureRow(
        figure({
          id: 'log.proofs.check',
          label: '  (checking both, auditor side, incl. old root)',
          value: checkMs,
          unit: 'ms',
          higherIsBetter: false,
        }),
        `${checkMs.toFixed(3)} ms`,
      ),
      figureRow(verify, `${verifyS.toFixed(2)} s (floor ${verifyFloorS.toFixed(2)} s, ${pct(verify.ratio)})`),
    ];
  });
}

const pct = (ratio: number | null) => (ratio === null ? 'n/a' : `${(ratio * 100).toFixed(0)}% of ceiling`);

interface SocketFigures {
  readonly p50: number;
  readonly p99: number;
  readonly perSec: number;
}

/** 1,000 warm-up recalls, 5,000 sequential ones timed on the first client, then 40,000 over 8 clients × 32 in flight. */
async function measureSocket(name: string, clients: readonly AgentClient[], ids: readonly string[]): Promise<SocketFigures> {
  const first = clients[0];
  if (!first) throw new Error('no client');
  const idAt = (i: number) => ids[i % ids.length] ?? '';
  for (let i = 0; i < 1000; i++) await first.recall(idAt(i));
  progress(`socket (${name}): one client, sequential recalls`);
  const lat: number[] = [];
  for (let i = 0; i < 5_000; i++) {
    const t = performance.now();
    await first.recall(idAt(i));
    lat.push(performance.now() - t);
  }
  lat.sort((a, b) => a - b);
  progress(`socket (${name}): ${clients.length} clients, concurrent recalls`);
  const total = 40_000;
  const t0 = performance.now();
  await Promise.all(clients.map((c, k) => pool(total / clients.length, 32, (i) => c.recall(idAt(i * clients.length + k)))));
  return { p50: percentile(lat, 50), p99: percentile(lat, 99), perSec: total / ((performance.now() - t0) / 1000) };
}

async function socketBench(): Promise<Row[]> {
  return withVault(async (s, dir) => {
    const server = await startVaultServer(s, { limits: UNLIMITED });
    const emptyPath = join(dir, '..', 'empty.sock');
    const closeEmpty = await startEmptyServer(emptyPath);
    try {
      const { token } = server.registry.create({ name: 'bench', maxLevel: 2, namespaces: null, expiresAt: null });
      const connectAll = (socketPath: string, t: string) =>
        Promise.all(Array.from({ length: 8 }, () => AgentClient.connect({ socketPath, token: t })));
      const clients = await connectAll(server.agentSocket, token);
      const first = clients[0] as AgentClient;
      const ids: string[] = [];
      for (let i = 0; i < 500; i++) ids.push((await first.store({ content: `socket bench ${i}`, level: 1, title: `s${i}` })).id);
      const empty = await connectAll(emptyPath, 'not checked by the empty handler');
      // The floor first, then the vault, each measured the same way on the same kind of socket.
      const floor = await measureSocket('empty handler', empty, ids);
      const vault = await measureSocket('vault', clients, ids);
      for (const c of [...clients, ...empty]) c.close();
      const latency = (id: string, label: string, v: number, f: number, targetMs: number) =>
        figure({ id, label, value: v, unit: 'ms', higherIsBetter: false, ceiling: f, target: `< ${targetMs} ms`, met: v < targetMs });
      const p50 = latency('socket.p50', 'socket L1 recall p50, 1 client', vault.p50, floor.p50, 1);
      const p99 = latency('socket.p99', 'socket L1 recall p99, 1 client', vault.p99, floor.p99, 5);
      const tput = figure({
        id: 'socket.throughput',
        label: 'socket audited recalls/s, 8 clients',
        value: vault.perSec,
        unit: '/s',
        higherIsBetter: true,
        ceiling: floor.perSec,
        target: '≥ 5,000/s',
        met: vault.perSec >= 5_000,
      });
      return [
        figureRow(p50, `${vault.p50.toFixed(3)} ms (floor ${floor.p50.toFixed(3)}, ${pct(p50.ratio)})`),
        figureRow(p99, `${vault.p99.toFixed(3)} ms (floor ${floor.p99.toFixed(3)}, ${pct(p99.ratio)})`),
        figureRow(tput, `${int(vault.perSec)} (floor ${int(floor.perSec)}, ${pct(tput.ratio)})`),
      ];
    } finally {
      await closeEmpty();
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
    const rate = (id: string, label: string, v: number) =>
      figureRow(
        figure({ id, label, value: v, unit: 'MB/s', higherIsBetter: true, target: '≥ 50 MB/s', met: v >= 50 }),
        `${v.toFixed(1)} MB/s`,
      );
    return [
      rate('backup', `backup of a ${(bytes / 1e6).toFixed(0)} MB vault`, mbps(backupS)),
      rate('restore', `restore of a ${(bytes / 1e6).toFixed(0)} MB vault (incl. verification)`, mbps(restoreS)),
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
  const figures = rows.flatMap((r) => (r.figure ? [r.figure] : []));
  const table = rows.map(({ figure: _f, ...r }) => r);
  writeFileSync(
    out,
    `${JSON.stringify({ generatedAt: new Date().toISOString(), events, rows: table, figures, loadAverage: loadavg() }, null, 2)}\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`[bench] failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
