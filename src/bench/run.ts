// `npm run bench` — in-process throughput of the vault engine (no CLI, no IPC), for 1k / 10k /
// 100k memories. Usage: node dist/bench/run.js [--quick] [--sizes 1000,10000] [--out FILE]
// Figures go to stdout as a table with the targets beside them, progress to stderr, and a JSON
// report to bench-results.json. Every vault lives in a temp directory that is removed afterwards.
// Each size also measures the machine's ceilings for the same shape of work (ceilings.ts) right
// before the figures they bound, and prints store and recall rates as fractions of them.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_ARGON2ID } from '../core/crypto/passphrase-kdf.js';
import type { Requester } from '../core/model/requester.js';
import type { Credentials } from '../node/vault/credentials.js';
import { initVault, unlockVault } from '../node/composition/vault-sessions.js';
import { type VaultSession } from '../node/vault/vault-session.js';
import { figure, type Figure } from './bench-report.js';
import { cryptoCeiling, emptyTransactionCeiling, oneRowTransactionCeiling } from './ceilings.js';
import { makeMemoryText, percentile, pool, prng, vocabulary } from './workload.js';

const OWNER: Requester = { kind: 'owner', channel: 'cli' };
const CHEAP_KDF = { memLimitBytes: 8 * 1024 * 1024, opsLimit: 1 };
const CREDENTIALS: Credentials = { kind: 'passphrase', passphrase: 'benchmark passphrase, not a secret' };

const TARGETS = {
  storeSinglePerSec: 2_000,
  storeBatchedPerSec: 10_000,
  recallPerSec: 30_000,
  unlockDefaultMs: 1_000,
  /** Issue 17: fractions of the same-run empty-transaction ceiling, and flatness in memory count. */
  storeSingleOfCeiling: 0.8,
  recallSequentialOfCeiling: 0.9,
  recallFlatness: 0.9,
  searchP95Ms: 10,
} as const;

const SEQ_STORE_MAX = 5_000;
const BATCH_WAVE = 1_024;
const RECALL_SEQ_MAX = 5_000;
const RECALL_CONCURRENT_MAX = 20_000;
const RECALL_IN_FLIGHT = 256;
const SEARCH_QUERIES = 300;
const CEILING_TRANSACTIONS = 5_000;
const CEILING_CRYPTO_OPS = 20_000;
/** The benchmark's memories are ~200 bytes (workload.ts): the crypto ceiling uses that size. */
const CONTENT_BYTES = 200;

interface Ceilings {
  /** Empty encrypted transactions/s, one per event-loop turn, measured just before the sequential stores. */
  readonly emptyTxBeforeStoresPerSec: number;
  /** The same, measured again just before the sequential recalls (the load may have changed). */
  readonly emptyTxBeforeRecallsPerSec: number;
  /** Bare AES-256-GCM (content + DEK) + SHA-256 per second for one memory of CONTENT_BYTES. */
  readonly cryptoPerSec: number;
  /** The same, measured again just before the recalls (a 1M-memory run's stores take minutes). */
  readonly cryptoBeforeRecallsPerSec: number;
  /** Transactions appending one 32-byte row, one per turn: the smallest write (informative). */
  readonly oneRowTxPerSec: number;
}

interface SizeResult {
  readonly memories: number;
  readonly storeSingle: { readonly count: number; readonly seconds: number; readonly perSec: number };
  readonly storeBatched: { readonly count: number; readonly seconds: number; readonly perSec: number; readonly inFlight: number };
  readonly recallSequential: { readonly count: number; readonly seconds: number; readonly perSec: number };
  readonly recallConcurrent: { readonly count: number; readonly seconds: number; readonly perSec: number; readonly inFlight: number };
  readonly search: { readonly queries: number; readonly p50Ms: number; readonly p95Ms: number; readonly meanResults: number };
  readonly dbBytes: number;
  readonly dbBytesPerMemory: number;
  readonly unlockCheapMs: number;
  /** Process CPU time / wall time over this size's run: well below 1.0 means neighbours took the cores. */
  readonly cpuShare: number;
  readonly ceilings: Ceilings;
  /** Resident set size at the end of this size (before the vault closes) and the process's peak so far. */
  readonly rssBytes: number;
  readonly maxRssBytes: number;
}

interface Report {
  readonly generatedAt: string;
  readonly node: string;
  readonly platform: string;
  readonly cpus: number;
  readonly cpuModel: string;
  readonly caveat: string;
  readonly loadAverage: readonly number[];
  readonly targets: typeof TARGETS;
  readonly unlockDefaultMs: number;
  readonly defaultKdf: { readonly memLimitBytes: number; readonly opsLimit: number };
  readonly cheapKdf: typeof CHEAP_KDF;
  readonly sizes: readonly SizeResult[];
  /** Every figure with its ceiling and ratio where one applies (what `--compare` reads). */
  readonly figures: readonly Figure[];
}

function progress(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
}

function parseArgs(argv: readonly string[]): { sizes: number[]; out: string } {
  let sizes = [1_000, 10_000, 100_000];
  let out = 'bench-results.json';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') sizes = [1_000];
    else if (a === '--sizes') {
      const v = argv[++i] ?? '';
      sizes = v.split(',').map((s) => Number(s.trim().replace(/k$/i, '000')));
      if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n < 10 || n > 10_000_000)) {
        throw new Error(`--sizes expects a comma list of integers ≥ 10, got "${v}"`);
      }
    } else if (a === '--out') out = argv[++i] ?? out;
    else if (a === '--help' || a === '-h') {
      process.stdout.write('usage: node dist/bench/run.js [--quick] [--sizes 1000,10000,100000] [--out bench-results.json]\n');
      process.exit(0);
    } else throw new Error(`unknown argument ${a ?? ''}`);
  }
  return { sizes, out };
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

const rate = (count: number, seconds: number) => (seconds > 0 ? count / seconds : 0);

async function timeIt<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, seconds: (performance.now() - t0) / 1000 };
}

async function benchSize(n: number, vocab: readonly string[]): Promise<SizeResult> {
  const root = mkdtempSync(join(tmpdir(), 'mv-bench-'));
  const dir = join(root, 'vault');
  let session: VaultSession | null = null;
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  try {
    progress(`${n}: init vault (cheap Argon2id)`);
    session = await initVault({ dir, credentials: CREDENTIALS, kdfCost: CHEAP_KDF });
    const rnd = prng(n);
    const ids: string[] = [];
    const storeOne = async (s: VaultSession) => {
      const t = makeMemoryText(rnd, vocab);
      const m = await s.engine.store({ content: t.content, level: 1, title: t.title }, OWNER);
      ids.push(m.id);
    };

    const seqCount = Math.min(SEQ_STORE_MAX, Math.floor(n / 2));
    const batchCount = n - seqCount;
    progress(`${n}: ceilings — ${CEILING_TRANSACTIONS} empty encrypted transactions, ${CEILING_CRYPTO_OPS} bare AES-GCM + SHA-256`);
    const emptyTxBeforeStoresPerSec = await emptyTransactionCeiling(CEILING_TRANSACTIONS);
    const cryptoPerSec = cryptoCeiling(CONTENT_BYTES, CEILING_CRYPTO_OPS);
    const oneRowTxPerSec = await oneRowTransactionCeiling(CEILING_TRANSACTIONS);
    progress(`${n}: ${seqCount} sequential stores`);
    const s1 = session;
    const single = await timeIt(async () => {
      for (let i = 0; i < seqCount; i++) await storeOne(s1);
    });

    progress(`${n}: ${batchCount} concurrent stores (waves of ${BATCH_WAVE})`);
    const batched = await timeIt(async () => {
      for (let done = 0; done < batchCount;) {
        const wave = Math.min(BATCH_WAVE, batchCount - done);
        await Promise.all(Array.from({ length: wave }, () => storeOne(s1)));
        done += wave;
        if (done % 20_480 === 0) progress(`${n}:   ${done}/${batchCount}`);
      }
    });

    // Size after a checkpoint: close() runs wal_checkpoint(TRUNCATE). Re-opening is the cheap unlock.
    progress(`${n}: checkpoint, measure size, re-unlock`);
    session.close();
    session = null;
    const dbBytes = fileSize(join(dir, 'vault.db')) + fileSize(join(dir, 'vault.db-wal'));
    const unlock = await timeIt(() => unlockVault({ dir, credentials: CREDENTIALS }));
    session = unlock.value;
    const s2 = session;

    const pickId = (): string => {
      const id = ids[Math.floor(rnd() * ids.length)];
      if (id === undefined) throw new Error('bench: no stored memory to recall');
      return id;
    };
    const recallOne = async () => {
      const r = await s2.engine.recall({ memoryId: pickId() }, OWNER);
      if (r.content.length === 0) throw new Error('empty recall');
      r.content.fill(0);
    };
    const seqRecalls = Math.min(RECALL_SEQ_MAX, n);
    const emptyTxBeforeRecallsPerSec = await emptyTransactionCeiling(CEILING_TRANSACTIONS);
    const cryptoBeforeRecallsPerSec = cryptoCeiling(CONTENT_BYTES, CEILING_CRYPTO_OPS);
    progress(`${n}: ${seqRecalls} sequential recalls`);
    const recallSeq = await timeIt(async () => {
      for (let i = 0; i < seqRecalls; i++) await recallOne();
    });
    const concRecalls = Math.min(RECALL_CONCURRENT_MAX, Math.max(n, 5_000));
    progress(`${n}: ${concRecalls} recalls, ${RECALL_IN_FLIGHT} in flight`);
    const recallConc = await timeIt(() => pool(concRecalls, RECALL_IN_FLIGHT, recallOne));

    progress(`${n}: ${SEARCH_QUERIES} searches`);
    const latencies: number[] = [];
    let results = 0;
    for (let i = 0; i < SEARCH_QUERIES; i++) {
      const word = vocab[Math.floor(rnd() * vocab.length)] ?? 'word';
      const t0 = performance.now();
      const rows = await s2.engine.search({ query: word }, OWNER);
      latencies.push(performance.now() - t0);
      results += rows.length;
    }
    latencies.sort((a, b) => a - b);
    const cpu = process.cpuUsage(cpu0);
    const cpuShare = (cpu.user + cpu.system) / 1000 / (performance.now() - wall0);

    return {
      memories: n,
      storeSingle: { count: seqCount, seconds: single.seconds, perSec: rate(seqCount, single.seconds) },
      storeBatched: { count: batchCount, seconds: batched.seconds, perSec: rate(batchCount, batched.seconds), inFlight: BATCH_WAVE },
      recallSequential: { count: seqRecalls, seconds: recallSeq.seconds, perSec: rate(seqRecalls, recallSeq.seconds) },
      recallConcurrent: {
        count: concRecalls,
        seconds: recallConc.seconds,
        perSec: rate(concRecalls, recallConc.seconds),
        inFlight: RECALL_IN_FLIGHT,
      },
      search: {
        queries: SEARCH_QUERIES,
        p50Ms: percentile(latencies, 50),
        p95Ms: percentile(latencies, 95),
        meanResults: results / SEARCH_QUERIES,
      },
      dbBytes,
      dbBytesPerMemory: dbBytes / n,
      unlockCheapMs: unlock.seconds * 1000,
      cpuShare,
      ceilings: { emptyTxBeforeStoresPerSec, emptyTxBeforeRecallsPerSec, cryptoPerSec, cryptoBeforeRecallsPerSec, oneRowTxPerSec },
      rssBytes: process.memoryUsage().rss,
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
    };
  } finally {
    session?.close();
    rmSync(root, { recursive: true, force: true });
  }
}

async function benchDefaultUnlock(): Promise<number> {
  const root = mkdtempSync(join(tmpdir(), 'mv-bench-kdf-'));
  const dir = join(root, 'vault');
  try {
    progress(
      `default Argon2id (${DEFAULT_ARGON2ID.memLimitBytes / 1024 / 1024} MiB, ${DEFAULT_ARGON2ID.opsLimit} ops): init, then one timed unlock`,
    );
    (await initVault({ dir, credentials: CREDENTIALS })).close();
    const { value, seconds } = await timeIt(() => unlockVault({ dir, credentials: CREDENTIALS }));
    value.close();
    return seconds * 1000;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

// ---- figures: each with its ceiling where the run measured one ---------------------------------

/** Recall at 256 in flight at the largest size over the smallest, raw and as fractions of each size's crypto ceiling. */
function flatness(sizes: readonly SizeResult[]): { raw: number; normalised: number } | null {
  const first = sizes[0];
  const last = sizes[sizes.length - 1];
  if (!first || !last || first === last) return null;
  const share = (s: SizeResult) => s.recallConcurrent.perSec / s.ceilings.cryptoBeforeRecallsPerSec;
  return { raw: last.recallConcurrent.perSec / first.recallConcurrent.perSec, normalised: share(last) / share(first) };
}

function sizeFigures(s: SizeResult): Figure[] {
  const at = `@${s.memories}`;
  const c = s.ceilings;
  return [
    figure({
      id: `ceiling.emptyTx${at}`,
      label: 'empty encrypted tx/s, 1 per turn',
      value: c.emptyTxBeforeStoresPerSec,
      unit: '/s',
      higherIsBetter: true,
    }),
    figure({
      id: `ceiling.oneRowTx${at}`,
      label: 'one-row encrypted tx/s, 1 per turn',
      value: c.oneRowTxPerSec,
      unit: '/s',
      higherIsBetter: true,
    }),
    figure({
      id: `ceiling.crypto${at}`,
      label: `bare AES-GCM + SHA-256/s (${CONTENT_BYTES} B)`,
      value: c.cryptoPerSec,
      unit: '/s',
      higherIsBetter: true,
    }),
    figure({
      id: `store.sequential${at}`,
      label: 'store/s, sequential (1 tx each)',
      value: s.storeSingle.perSec,
      unit: '/s',
      higherIsBetter: true,
      ceiling: c.emptyTxBeforeStoresPerSec,
      target: `≥ ${TARGETS.storeSingleOfCeiling * 100}% of empty tx`,
      met: s.storeSingle.perSec >= TARGETS.storeSingleOfCeiling * c.emptyTxBeforeStoresPerSec,
    }),
    figure({
      id: `store.batched${at}`,
      label: `store/s, batched (${BATCH_WAVE} in flight)`,
      value: s.storeBatched.perSec,
      unit: '/s',
      higherIsBetter: true,
      ceiling: c.cryptoPerSec,
      target: `≥ ${int(TARGETS.storeBatchedPerSec)}/s`,
      met: s.storeBatched.count > 0 ? s.storeBatched.perSec >= TARGETS.storeBatchedPerSec : null,
    }),
    figure({
      id: `recall.sequential${at}`,
      label: 'recall/s L1, sequential',
      value: s.recallSequential.perSec,
      unit: '/s',
      higherIsBetter: true,
      ceiling: c.emptyTxBeforeRecallsPerSec,
      target: `≥ ${TARGETS.recallSequentialOfCeiling * 100}% of empty tx`,
      met: s.recallSequential.perSec >= TARGETS.recallSequentialOfCeiling * c.emptyTxBeforeRecallsPerSec,
    }),
    figure({
      id: `recall.concurrent${at}`,
      label: `recall/s L1, ${RECALL_IN_FLIGHT} in flight`,
      value: s.recallConcurrent.perSec,
      unit: '/s',
      higherIsBetter: true,
      ceiling: c.cryptoBeforeRecallsPerSec,
      target: `≥ ${int(TARGETS.recallPerSec)}/s`,
      met: s.recallConcurrent.perSec >= TARGETS.recallPerSec,
    }),
    figure({
      id: `search.p95${at}`,
      label: 'search p95',
      value: s.search.p95Ms,
      unit: 'ms',
      higherIsBetter: false,
      target: `< ${TARGETS.searchP95Ms} ms`,
      met: s.search.p95Ms < TARGETS.searchP95Ms,
    }),
    figure({ id: `search.p50${at}`, label: 'search p50', value: s.search.p50Ms, unit: 'ms', higherIsBetter: false }),
    figure({ id: `db.bytesPerMemory${at}`, label: 'db bytes / memory', value: s.dbBytesPerMemory, unit: 'B', higherIsBetter: false }),
    figure({ id: `rss${at}`, label: 'process RSS at the end of the size', value: s.rssBytes / 1e6, unit: 'MB', higherIsBetter: false }),
  ];
}

function reportFigures(sizes: readonly SizeResult[], unlockDefaultMs: number): Figure[] {
  const out = sizes.flatMap(sizeFigures);
  const flat = flatness(sizes);
  if (flat) {
    const met = flat.normalised >= TARGETS.recallFlatness;
    out.push(
      figure({
        id: 'recall.flatness',
        label: 'recall flatness, largest vs smallest size',
        value: flat.raw,
        unit: '×',
        higherIsBetter: true,
      }),
      figure({
        id: 'recall.flatness.normalised',
        label: 'recall flatness, each size against its own crypto ceiling',
        value: flat.normalised,
        unit: '×',
        higherIsBetter: true,
        target: `≥ ${TARGETS.recallFlatness}`,
        met,
      }),
    );
  }
  out.push(
    figure({
      id: 'unlock.defaultKdf',
      label: 'unlock, default KDF',
      value: unlockDefaultMs,
      unit: 'ms',
      higherIsBetter: false,
      target: `≤ ${int(TARGETS.unlockDefaultMs)} ms`,
      met: unlockDefaultMs <= TARGETS.unlockDefaultMs,
    }),
  );
  return out;
}

// ---- rendering ------------------------------------------------------------------------------

const int = (x: number) => Math.round(x).toLocaleString('en-US');
const ms = (x: number) => `${x < 10 ? x.toFixed(2) : x.toFixed(0)} ms`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(2)} KiB`;
const check = (ok: boolean) => (ok ? 'ok' : 'MISS');

function label(n: number): string {
  return n % 1000 === 0 ? `${n / 1000}k` : String(n);
}

function renderTable(r: Report): string {
  const sizes = r.sizes;
  const headers = ['metric', ...sizes.map((s) => label(s.memories)), 'target', 'met'];
  const rows: string[][] = [];
  const row = (name: string, cell: (s: SizeResult) => string, target: string, met: (s: SizeResult) => boolean | null) => {
    const verdicts = sizes.map(met).filter((v): v is boolean => v !== null);
    rows.push([name, ...sizes.map(cell), target, verdicts.length ? check(verdicts.every(Boolean)) : '']);
  };
  const pct = (x: number, of: number) => `${((x / of) * 100).toFixed(0)}%`;
  row(
    'ceiling: empty encrypted tx/s (1 per turn)',
    (s) => int(s.ceilings.emptyTxBeforeStoresPerSec),
    '(same run)',
    () => null,
  );
  row(
    'ceiling: one-row encrypted tx/s (smallest write)',
    (s) => int(s.ceilings.oneRowTxPerSec),
    '(same run)',
    () => null,
  );
  row(
    `ceiling: bare AES-GCM + SHA-256/s (${CONTENT_BYTES} B)`,
    (s) => int(s.ceilings.cryptoPerSec),
    '(same run)',
    () => null,
  );
  row(
    'store/s, sequential (1 tx each)',
    (s) => int(s.storeSingle.perSec),
    `≥ ${int(TARGETS.storeSinglePerSec)}/s`,
    (s) => s.storeSingle.perSec >= TARGETS.storeSinglePerSec,
  );
  row(
    '  as share of empty-tx ceiling',
    (s) => pct(s.storeSingle.perSec, s.ceilings.emptyTxBeforeStoresPerSec),
    `≥ ${TARGETS.storeSingleOfCeiling * 100}%`,
    (s) => s.storeSingle.perSec >= TARGETS.storeSingleOfCeiling * s.ceilings.emptyTxBeforeStoresPerSec,
  );
  row(
    '  as share of one-row tx ceiling',
    (s) => pct(s.storeSingle.perSec, s.ceilings.oneRowTxPerSec),
    '(informative)',
    () => null,
  );
  row(
    `store/s, batched (${BATCH_WAVE} in flight)`,
    (s) => int(s.storeBatched.perSec),
    `≥ ${int(TARGETS.storeBatchedPerSec)}/s`,
    (s) => (s.storeBatched.count > 0 ? s.storeBatched.perSec >= TARGETS.storeBatchedPerSec : null),
  );
  row(
    'recall/s L1, sequential',
    (s) => int(s.recallSequential.perSec),
    '(informative)',
    () => null,
  );
  row(
    '  as share of empty-tx ceiling',
    (s) => pct(s.recallSequential.perSec, s.ceilings.emptyTxBeforeRecallsPerSec),
    `≥ ${TARGETS.recallSequentialOfCeiling * 100}%`,
    (s) => s.recallSequential.perSec >= TARGETS.recallSequentialOfCeiling * s.ceilings.emptyTxBeforeRecallsPerSec,
  );
  row(
    '  as share of one-row tx ceiling',
    (s) => pct(s.recallSequential.perSec, s.ceilings.oneRowTxPerSec),
    '(informative)',
    () => null,
  );
  row(
    `recall/s L1, ${RECALL_IN_FLIGHT} in flight`,
    (s) => int(s.recallConcurrent.perSec),
    `≥ ${int(TARGETS.recallPerSec)}/s, flat`,
    (s) => s.recallConcurrent.perSec >= TARGETS.recallPerSec,
  );
  row(
    '  as share of crypto ceiling',
    (s) => pct(s.recallConcurrent.perSec, s.ceilings.cryptoBeforeRecallsPerSec),
    '(informative)',
    () => null,
  );
  row(
    'search p50',
    (s) => ms(s.search.p50Ms),
    '',
    () => null,
  );
  row(
    'search p95',
    (s) => ms(s.search.p95Ms),
    `< ${TARGETS.searchP95Ms} ms`,
    (s) => s.search.p95Ms < TARGETS.searchP95Ms,
  );
  row(
    'search mean hits (limit 50)',
    (s) => s.search.meanResults.toFixed(1),
    '',
    () => null,
  );
  row(
    'db bytes / memory (db+wal)',
    (s) => kib(s.dbBytesPerMemory),
    '',
    () => null,
  );
  row(
    'unlock, cheap KDF (8 MiB, 1 op)',
    (s) => ms(s.unlockCheapMs),
    '',
    () => null,
  );
  row(
    'process CPU / wall (1.0 = a core to itself)',
    (s) => s.cpuShare.toFixed(2),
    '',
    () => null,
  );
  row(
    'RSS at end of size / peak so far',
    (s) => `${(s.rssBytes / 1e6).toFixed(0)}/${(s.maxRssBytes / 1e6).toFixed(0)} MB`,
    '',
    () => null,
  );
  row(
    'disk: db + wal after checkpoint',
    (s) => `${(s.dbBytes / 1e6).toFixed(1)} MB`,
    '',
    () => null,
  );
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r2) => (r2[i] ?? '').length)));
  const fmt = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  const lines = [fmt(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)];
  const first = sizes[0];
  const last = sizes[sizes.length - 1];
  const flat = flatness(sizes);
  if (first && last && flat) {
    lines.push(
      `recall flatness (${label(last.memories)} vs ${label(first.memories)}, ${RECALL_IN_FLIGHT} in flight): ${(flat.raw * 100).toFixed(0)}% raw, ` +
        `${(flat.normalised * 100).toFixed(0)}% as shares of each size's crypto ceiling   target ≥ ${TARGETS.recallFlatness * 100}%   ${check(flat.normalised >= TARGETS.recallFlatness)}`,
    );
  }
  const d = r.defaultKdf;
  lines.push(
    `unlock, default KDF (${d.memLimitBytes / 1024 / 1024} MiB, ${d.opsLimit} ops), measured once: ${ms(r.unlockDefaultMs)}   target ≤ ${int(TARGETS.unlockDefaultMs)} ms   ${check(r.unlockDefaultMs <= TARGETS.unlockDefaultMs)}`,
  );
  lines.push(r.caveat, `load average at the end: ${r.loadAverage.map((l) => l.toFixed(2)).join(' ')}`);
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  const { sizes, out } = parseArgs(process.argv.slice(2));
  const vocab = vocabulary();
  const t0 = performance.now();
  const results: SizeResult[] = [];
  for (const n of sizes) {
    const t = performance.now();
    results.push(await benchSize(n, vocab));
    progress(`${n}: done in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const unlockDefaultMs = await benchDefaultUnlock();
  const cpuList = cpus();
  const report: Report = {
    generatedAt: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: cpuList.length,
    cpuModel: cpuList[0]?.model ?? 'unknown',
    loadAverage: loadavg(),
    caveat: `Caveat: measured on ${cpuList.length} shared cores (CI/VM); neighbours add noise of ±20% or more — compare runs on the same machine only.`,
    targets: TARGETS,
    unlockDefaultMs,
    defaultKdf: { memLimitBytes: DEFAULT_ARGON2ID.memLimitBytes, opsLimit: DEFAULT_ARGON2ID.opsLimit },
    cheapKdf: CHEAP_KDF,
    sizes: results,
    figures: reportFigures(results, unlockDefaultMs),
  };
  process.stdout.write(renderTable(report));
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  progress(`wrote ${out}; total ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

main().catch((e: unknown) => {
  process.stderr.write(`[bench] failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
