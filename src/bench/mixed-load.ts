// `npm run bench` part 3 — agents under mixed load (issue 13 targets):
//   1. agent level-1 recall latency (p50 / p99 / p99.9) over the real agent socket of a vault
//      server running in its own process: alone, and while the owner unlocks (Argon2id + key
//      unwrap with the right passphrase), re-authenticates with a wrong passphrase 10× (the
//      verifyOwner path), approves a stream of level-3 requests from another agent, runs a full
//      `audit verify` of a log of 1M events (--quick: 20k; --events N) and writes a full backup;
//   2. RSS of a real `memory-vault serve` process holding 1,000 idle connections, unauthenticated
//      and then logged in; connections the server refused or closed (connection caps, login
//      deadlines) are counted, and the figure is reported for those actually held.
// Every figure is also printed as a ratio to a ceiling measured in the same run: latency against
// the round trip to a handler that answers at once (same process, same socket kind), RSS
// against the same server with no connection. Usage: node dist/bench/mixed-load.js [--quick]
import { rssBytes, startServe } from './serve-process.js';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { DEFAULT_ARGON2ID } from '../core/crypto/passphrase-kdf.js';
import { AgentClient } from '../node/agent-api/agent-client.js';
import { AgentRegistry } from '../node/agent-api/agent-registry.js';
import { ARGON2_IDLE_MS } from '../node/crypto/argon2.service.js';
import { initVault } from '../node/composition/vault-sessions.js';
import { fromServerSchema, QUICK_KDF, type FromServer, type OwnerWork, type ToServer } from './mixed-load-protocol.js';
import { percentile } from './workload.js';

const here = dirname(fileURLToPath(import.meta.url));
const TARGET_P99_MS = 5;
const TARGET_P999_MS = 20;
const TARGET_RSS_MB = 200;
const CONNECTIONS = 1_000;
const PASSPHRASE = 'benchmark passphrase, not a secret';

interface Plan {
  readonly quick: boolean;
  readonly out: string;
  readonly aloneSamples: number;
  readonly unlocks: number;
  readonly wrongGuesses: number;
  readonly approvals: number;
  readonly holdMs: number;
  /** Audit events in the server's log for the verify and backup phases. */
  readonly logEvents: number;
}

interface Row {
  readonly metric: string;
  readonly value: string;
  readonly ratio: string;
  readonly target: string;
  readonly met: boolean | null;
}

const progress = (m: string) => process.stderr.write(`[bench] ${m}\n`);
const msText = (x: number) => `${x.toFixed(3)} ms`;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
const times = (x: number) => `${x.toFixed(1)}×`;

function args(argv: readonly string[]): Plan {
  let quick = false;
  let out = 'bench-mixed-load.json';
  let events: number | null = null;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--quick') quick = true;
    else if (argv[i] === '--out') out = argv[++i] ?? out;
    else if (argv[i] === '--events') events = Number(argv[++i]);
    else if (argv[i] === '--sizes')
      i++; // accepted for symmetry with the other parts
    else throw new Error(`unknown argument ${argv[i] ?? ''}`);
  }
  if (events !== null && !(Number.isInteger(events) && events >= 0)) throw new Error('--events takes a count');
  return quick
    ? { quick, out, aloneSamples: 2_000, unlocks: 3, wrongGuesses: 10, approvals: 50, holdMs: 1_000, logEvents: events ?? 20_000 }
    : { quick, out, aloneSamples: 20_000, unlocks: 5, wrongGuesses: 10, approvals: 300, holdMs: 12_000, logEvents: events ?? 1_000_000 };
}

// ---- latency under owner work ---------------------------------------------------------------

interface Latency {
  readonly samples: number;
  readonly p50: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}

function summarise(lat: number[]): Latency {
  lat.sort((a, b) => a - b);
  return {
    samples: lat.length,
    p50: percentile(lat, 50),
    p99: percentile(lat, 99),
    p999: percentile(lat, 99.9),
    max: lat[lat.length - 1] ?? Number.NaN,
  };
}

class ServerChild {
  private readonly waiting: ((m: FromServer) => void)[] = [];
  private constructor(private readonly child: ChildProcess) {
    child.on('message', (raw: unknown) => {
      const m = fromServerSchema.safeParse(raw);
      const next = this.waiting.shift();
      if (!next) return;
      next(m.success ? m.data : { event: 'failed', message: 'unreadable message from the server child' });
    });
  }

  static start(quick: boolean, logEvents: number): ServerChild {
    return new ServerChild(
      fork(join(here, 'mixed-load-server.js'), ['--kdf', quick ? 'quick' : 'default', '--events', String(logEvents)], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    );
  }

  /** The child's next message (its answer to the last instruction). */
  next(): Promise<FromServer> {
    return new Promise((resolve, reject) => {
      this.waiting.push(resolve);
      this.child.once('exit', (code) => reject(new Error(`the server child exited (${code ?? 'signal'})`)));
    });
  }

  send(msg: ToServer): void {
    this.child.send(msg);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      this.child.once('exit', () => resolve());
      this.send({ op: 'stop' });
    });
  }
}

/** Sequential recalls from `client` until `until` settles (at least `min` samples). */
async function recallWhile(
  client: AgentClient,
  ids: readonly { id: string; content: string }[],
  until: Promise<unknown> | null,
  min: number,
): Promise<number[]> {
  let done = until === null;
  // Settled either way: a failure is rethrown where the caller awaits `until` itself.
  until?.then(
    () => (done = true),
    () => (done = true),
  );
  const lat: number[] = [];
  for (let i = 0; !done || lat.length < min; i++) {
    const m = ids[i % ids.length];
    if (m === undefined) throw new Error('no memories to recall');
    const t = performance.now();
    const r = await client.recall(m.id);
    lat.push(performance.now() - t);
    if (r.status !== 'ok' || r.content !== m.content) throw new Error('a level-1 recall did not return its content');
  }
  return lat;
}

async function latencyBench(plan: Plan): Promise<{ rows: Row[]; report: Record<string, unknown> }> {
  progress(`mixed load: server child grows its log to ${plan.logEvents} audit events first`);
  const child = ServerChild.start(plan.quick, plan.logEvents);
  try {
    const ready = await child.next();
    if (ready.event !== 'ready') throw new Error(`server child: ${ready.event === 'failed' ? ready.message : 'unexpected message'}`);
    const l1 = ready.memories.filter((m) => m.level === 1);
    const l3 = ready.memories.filter((m) => m.level === 3);
    const measured = await AgentClient.connect({ socketPath: ready.agentSocket, token: ready.token });
    const empty = await AgentClient.connect({ socketPath: ready.emptySocket, token: 'not checked by the empty handler' });
    const requester = await AgentClient.connect({ socketPath: ready.agentSocket, token: ready.requesterToken });
    try {
      progress('mixed load: warm-up');
      await recallWhile(measured, l1, null, 500);
      await recallWhile(empty, [{ id: 'x', content: 'empty handler' }], null, 500);
      progress('mixed load: empty-handler round trip (the floor)');
      const floor = summarise(await recallWhile(empty, [{ id: 'x', content: 'empty handler' }], null, plan.aloneSamples));
      progress('mixed load: agent recalls alone');
      const alone = summarise(await recallWhile(measured, l1, null, plan.aloneSamples));

      const whileOwner = async (work: OwnerWork, n: number) => {
        child.send({ op: 'owner', work, times: n });
        const done = child.next();
        const lat = await recallWhile(measured, l1, done, 0);
        const answer = await done;
        if (answer.event !== 'done' || answer.work !== work)
          throw new Error(`server child: ${answer.event === 'failed' ? answer.message : 'unexpected message'}`);
        return { latency: summarise(lat), ownerMs: answer.ms, codes: answer.codes };
      };
      progress(`mixed load: agent recalls while the owner unlocks ${plan.unlocks}×`);
      const unlock = await whileOwner('unlock', plan.unlocks);
      if (unlock.codes.some((c) => c !== 'ok')) throw new Error(`an unlock failed: ${unlock.codes.join(',')}`);
      progress(`mixed load: agent recalls while the owner re-authenticates with a wrong passphrase ${plan.wrongGuesses}×`);
      const wrong = await whileOwner('reauth-wrong', plan.wrongGuesses);
      if (wrong.codes.some((c) => c !== 'BAD_CREDENTIALS'))
        throw new Error(`a wrong guess was not BAD_CREDENTIALS: ${wrong.codes.join(',')}`);

      progress(`mixed load: agent recalls while the owner approves ${plan.approvals} level-3 requests`);
      const approving = (async () => {
        for (let i = 0; i < plan.approvals; i++) {
          const m = l3[i % l3.length];
          if (m === undefined) throw new Error('no level-3 memory');
          let r = await requester.recall(m.id, 'mixed-load benchmark');
          if (r.status === 'pending') r = await requester.wait(r.requestId, 30_000);
          if (r.status !== 'ok' || r.content !== m.content) throw new Error('an approved level-3 recall did not return its content');
        }
      })();
      const t0 = performance.now();
      const approveLat = summarise(await recallWhile(measured, l1, approving, 0));
      await approving;
      const approveS = (performance.now() - t0) / 1000;

      progress(`mixed load: agent recalls while the owner verifies the whole log (${ready.logEvents} events)`);
      const verify = await whileOwner('audit-verify', 1);
      if (verify.codes.some((c) => c !== 'ok')) throw new Error(`audit verify failed: ${verify.codes.join(',')}`);
      progress('mixed load: agent recalls while the owner writes a full backup');
      const backup = await whileOwner('backup', 1);
      if (backup.codes.some((c) => c !== 'ok')) throw new Error(`backup failed: ${backup.codes.join(',')}`);

      const kdf = `${ready.kdf.memLimitBytes / 1024 / 1024} MiB, ${ready.kdf.opsLimit} ops`;
      const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
      const rows: Row[] = [
        {
          metric: 'empty-handler round trip p50 / p99 (the floor)',
          value: `${msText(floor.p50)} / ${msText(floor.p99)}`,
          ratio: '1.0×',
          target: '(reference)',
          met: null,
        },
      ];
      // Under owner work, also against the same recalls alone: 1.0× means the owner's work cost
      // the agents nothing beyond what the machine's load already does.
      const latencyRows = (name: string, l: Latency, target: boolean) => {
        const vsAlone = (x: number, a: number) => (target ? `, ${times(x / a)} alone` : '');
        rows.push({
          metric: `mixed L1 recall p50, ${name}`,
          value: msText(l.p50),
          ratio: `${times(l.p50 / floor.p50)}${vsAlone(l.p50, alone.p50)}`,
          target: '(informative)',
          met: null,
        });
        rows.push({
          metric: `mixed L1 recall p99, ${name}`,
          value: msText(l.p99),
          ratio: `${times(l.p99 / floor.p99)}${vsAlone(l.p99, alone.p99)}`,
          target: target ? `< ${TARGET_P99_MS} ms` : '(informative)',
          met: target ? l.p99 < TARGET_P99_MS : null,
        });
        rows.push({
          metric: `mixed L1 recall p99.9, ${name} (${l.samples} samples, max ${l.max.toFixed(1)} ms)`,
          value: msText(l.p999),
          ratio: `${times(l.p999 / floor.p99)}${vsAlone(l.p999, alone.p999)}`,
          target: target ? `< ${TARGET_P999_MS} ms` : '(informative)',
          met: target ? l.p999 < TARGET_P999_MS : null,
        });
      };
      latencyRows('alone', alone, false);
      latencyRows(`owner unlocking ${plan.unlocks}× (${kdf}, ${median(unlock.ownerMs).toFixed(0)} ms each)`, unlock.latency, true);
      latencyRows(`owner wrong passphrase ${plan.wrongGuesses}× (${median(wrong.ownerMs).toFixed(0)} ms each)`, wrong.latency, true);
      latencyRows(`owner approving ${plan.approvals} L3 (${(plan.approvals / approveS).toFixed(0)}/s)`, approveLat, true);
      const events = `${(ready.logEvents / 1e6).toFixed(2)}M events`;
      latencyRows(`owner audit verify of ${events} (${median(verify.ownerMs).toFixed(0)} ms)`, verify.latency, true);
      latencyRows(`owner full backup at ${events} (${median(backup.ownerMs).toFixed(0)} ms)`, backup.latency, true);
      return {
        rows,
        report: {
          kdf: ready.kdf,
          floor,
          alone,
          unlock,
          wrong,
          approving: { latency: approveLat, approvals: plan.approvals, seconds: approveS },
          logEvents: ready.logEvents,
          verify,
          backup,
        },
      };
    } finally {
      measured.close();
      empty.close();
      requester.close();
    }
  } finally {
    await child.stop();
  }
}

// ---- serve RSS with idle connections ----------------------------------------------------------

interface Held {
  readonly sockets: Socket[];
  readonly refused: number;
  closedByServer(): number;
}

/** Open `n` connections (64 connecting at a time); with a token, each logs in and then idles. */
async function openIdle(socketPath: string, n: number, token: string | null): Promise<Held> {
  const sockets: Socket[] = [];
  let refused = 0;
  let closed = 0;
  let next = 0;
  const one = () =>
    new Promise<void>((resolve) => {
      const s = connect(socketPath);
      let settled = false;
      const settle = (ok: boolean) => {
        if (settled) return;
        settled = true;
        if (ok) sockets.push(s);
        else refused++;
        resolve();
      };
      let ended = false;
      const lost = () => {
        if (ended) return;
        ended = true;
        if (settled && sockets.includes(s)) closed++;
        settle(false);
      };
      s.on('error', lost);
      // The server ends a connection it drops (login deadline, cap) after a last error line:
      // reading is what lets the end be seen, so every socket reads and discards.
      s.on('end', lost);
      s.on('close', lost);
      s.once('connect', () => {
        s.resume();
        if (token === null) return settle(true);
        s.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'auth.login', params: { token } })}\n`);
        s.once('data', (d: Buffer) => settle(d.toString('utf8').includes('"result"')));
      });
    });
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < n) {
        next++;
        await one();
      }
    }),
  );
  return { sockets, refused, closedByServer: () => closed };
}

async function rssBench(plan: Plan): Promise<{ rows: Row[]; report: Record<string, unknown> }> {
  const root = mkdtempSync(join(tmpdir(), 'mv-bench-rss-'));
  const dir = join(root, 'vault');
  const kdf = plan.quick ? QUICK_KDF : DEFAULT_ARGON2ID;
  let serve: ChildProcess | undefined;
  try {
    progress(`serve RSS: init a vault (${kdf.memLimitBytes / 1024 / 1024} MiB Argon2id), start \`memory-vault serve\``);
    const session = await initVault({ dir, credentials: { kind: 'passphrase', passphrase: PASSPHRASE }, kdfCost: kdf });
    const { token } = new AgentRegistry(session.tables.agents).create({ name: 'idle', maxLevel: 1, namespaces: null, expiresAt: null });
    session.close();
    const passFile = join(root, 'passphrase');
    writeFileSync(passFile, PASSPHRASE, { mode: 0o600 });
    const started = await startServe(dir, passFile);
    serve = started.proc;
    const afterUnlock = rssBytes(started.pid);
    // The unlock's Argon2id worker ends when idle (ARGON2_IDLE_MS) and gives its memory back:
    // the floor is the server after that, as it then stays.
    await new Promise((r) => setTimeout(r, ARGON2_IDLE_MS + 500));
    const idle = rssBytes(started.pid);

    const phase = async (label: string, withToken: string | null) => {
      progress(`serve RSS: ${CONNECTIONS} ${label} connections, held ${plan.holdMs / 1000} s`);
      const held = await openIdle(started.agentSocket, CONNECTIONS, withToken);
      await new Promise((r) => setTimeout(r, plan.holdMs));
      const rss = rssBytes(started.pid);
      const closedByServer = held.closedByServer();
      for (const s of held.sockets) s.destroy();
      await new Promise((r) => setTimeout(r, 500));
      return { rss, held: held.sockets.length - closedByServer, refused: held.refused, closedByServer };
    };
    const unauth = await phase('unauthenticated idle', null);
    const authed = await phase('logged-in idle', token);
    const perConn = (p: { rss: number; held: number }) => (p.held > 0 ? `${((p.rss - idle) / p.held / 1024).toFixed(1)} KiB/conn` : 'n/a');
    const rows: Row[] = [
      {
        metric: 'serve RSS just after unlock (Argon2id worker still alive)',
        value: mb(afterUnlock),
        ratio: times(afterUnlock / idle),
        target: '(informative)',
        met: null,
      },
      { metric: 'serve RSS, no connection, worker ended (the floor)', value: mb(idle), ratio: '1.0×', target: '(reference)', met: null },
      {
        metric: `serve RSS, unauthenticated idle: ${unauth.held} of ${CONNECTIONS} held after ${plan.holdMs / 1000} s (${unauth.refused} refused, ${unauth.closedByServer} closed by server)`,
        value: mb(unauth.rss),
        ratio: `${times(unauth.rss / idle)}, ${perConn(unauth)}`,
        target: `< ${TARGET_RSS_MB} MB`,
        met: unauth.rss < TARGET_RSS_MB * 1e6,
      },
      {
        metric: `serve RSS, logged-in idle: ${authed.held} of ${CONNECTIONS} held (${authed.refused} refused, ${authed.closedByServer} closed by server)`,
        value: mb(authed.rss),
        ratio: `${times(authed.rss / idle)}, ${perConn(authed)}`,
        target: `< ${TARGET_RSS_MB} MB`,
        met: authed.held > 0 ? authed.rss < TARGET_RSS_MB * 1e6 : null,
      },
    ];
    return { rows, report: { kdf, rssAfterUnlock: afterUnlock, idleRss: idle, unauthenticated: unauth, loggedIn: authed } };
  } finally {
    if (serve && serve.exitCode === null) {
      const proc = serve;
      await new Promise<void>((resolve) => {
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      });
    }
    rmSync(root, { recursive: true, force: true });
  }
}

function render(rows: readonly Row[]): string {
  const w = (f: (r: Row) => string) => Math.max(...rows.map((r) => f(r).length));
  const [a, b, c, d] = [w((r) => r.metric), w((r) => r.value), w((r) => r.ratio), w((r) => r.target)];
  return rows
    .map(
      (r) =>
        `${r.metric.padEnd(a)}  ${r.value.padStart(b)}  ${r.ratio.padStart(c)}  ${r.target.padEnd(d)}  ${r.met === null ? '' : r.met ? 'ok' : 'MISS'}`,
    )
    .join('\n');
}

async function main(): Promise<void> {
  const plan = args(process.argv.slice(2));
  const startLoad = loadavg();
  process.stdout.write(
    `\nmixed load — load average at the start: ${startLoad.map((l) => l.toFixed(2)).join(' ')} on ${cpus().length} cores\n`,
  );
  const t0 = performance.now();
  const latency = await latencyBench(plan);
  const rss = process.platform === 'linux' ? await rssBench(plan) : { rows: [], report: { skipped: 'RSS is read from /proc: Linux only' } };
  process.stdout.write(
    `${render([...latency.rows, ...rss.rows])}\nRatios: latency against the empty-handler round trip (p99.9 against its p99) and, under owner work, against the agent alone; RSS against the idle server; all measured in this run. Caveat: shared cores; load average now ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}.\n`,
  );
  writeFileSync(
    plan.out,
    `${JSON.stringify({ generatedAt: new Date().toISOString(), quick: plan.quick, loadAverageAtStart: startLoad, latency: latency.report, rss: rss.report, rows: [...latency.rows, ...rss.rows] }, null, 2)}\n`,
  );
  progress(`mixed load: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

main().catch((e: unknown) => {
  process.stderr.write(`[bench] failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
