// `npm run bench` part 4 — serve RSS with 100 agents connected (issue 17 item 3 target: < 200 MB):
// a real `memory-vault serve` process, 100 registered agents each logged in on its own
// connection and recalling level-1 memories (4 in flight each) for the hold time, RSS sampled
// from /proc every 100 ms (peak and end), and read once more through `memory-vault status` —
// the figure the owner sees. Ratio: against the same server with no connection (its floor).
// Usage: node dist/bench/agents-rss.js [--quick] [--out FILE]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { AgentClient } from '../node/agent-api/agent-client.js';
import { AgentRegistry } from '../node/agent-api/agent-registry.js';
import { ARGON2_IDLE_MS } from '../node/crypto/argon2.service.js';
import { initVault } from '../node/composition/vault-sessions.js';
import { figure, type Figure } from './bench-report.js';
import { CLI_ENTRY, rssBytes, startServe, stopServe } from './serve-process.js';
import { pool } from './workload.js';

const AGENTS = 100;
const IN_FLIGHT_PER_AGENT = 4;
const MEMORIES = 500;
const TARGET_MB = 200;
const PASSPHRASE = 'benchmark passphrase, not a secret';
const CHEAP_KDF = { memLimitBytes: 8 * 1024 * 1024, opsLimit: 1 };

const progress = (m: string) => process.stderr.write(`[bench] ${m}\n`);
const mb = (bytes: number) => bytes / 1e6;

function args(argv: readonly string[]): { quick: boolean; out: string } {
  let quick = false;
  let out = 'bench-agents-rss.json';
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--quick') quick = true;
    else if (argv[i] === '--out') out = argv[++i] ?? out;
    else if (argv[i] === '--sizes' || argv[i] === '--events')
      i++; // accepted for symmetry with the other parts
    else throw new Error(`unknown argument ${argv[i] ?? ''}`);
  }
  return { quick, out };
}

const statusSchema = z.object({
  ok: z.literal(true),
  result: z.object({ server: z.object({ rssBytes: z.number(), agentConnections: z.number() }) }),
});

/** `memory-vault --json status` against the running server: what the owner is told. */
function statusOfServer(dir: string, passFile: string): { rssBytes: number; agentConnections: number } | null {
  const r = spawnSync(process.execPath, [CLI_ENTRY, '--json', '--vault', dir, 'status'], {
    env: { ...process.env, MEMORY_VAULT_PASSPHRASE_FILE: passFile },
    encoding: 'utf8',
  });
  try {
    const parsed = statusSchema.safeParse(JSON.parse(r.stdout));
    return parsed.success ? parsed.data.result.server : null;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const { quick, out } = args(process.argv.slice(2));
  const holdMs = quick ? 2_000 : 10_000;
  const root = mkdtempSync(join(tmpdir(), 'mv-bench-agents-rss-'));
  const dir = join(root, 'vault');
  const t0 = performance.now();
  try {
    progress(`agents RSS: a vault with ${MEMORIES} memories and ${AGENTS} agents, then \`memory-vault serve\``);
    const session = await initVault({ dir, credentials: { kind: 'passphrase', passphrase: PASSPHRASE }, kdfCost: CHEAP_KDF });
    const registry = new AgentRegistry(session.tables.agents);
    const tokens = Array.from(
      { length: AGENTS },
      (_, i) => registry.create({ name: `agent-${i}`, maxLevel: 1, namespaces: null, expiresAt: null }).token,
    );
    const ids: string[] = [];
    for (let i = 0; i < MEMORIES; i++) {
      const m = await session.engine.store(
        { content: `agents-rss memory ${i} `.repeat(8), level: 1, title: `a${i}` },
        { kind: 'owner', channel: 'cli' },
      );
      ids.push(m.id);
    }
    session.close();
    const passFile = join(root, 'passphrase');
    writeFileSync(passFile, PASSPHRASE, { mode: 0o600 });
    const serve = await startServe(dir, passFile);
    try {
      await new Promise((r) => setTimeout(r, ARGON2_IDLE_MS + 500)); // the unlock's KDF worker ends
      const floor = rssBytes(serve.pid);
      progress(`agents RSS: ${AGENTS} agents log in and recall, ${IN_FLIGHT_PER_AGENT} in flight each, for ${holdMs / 1000} s`);
      const clients = await Promise.all(tokens.map((token) => AgentClient.connect({ socketPath: serve.agentSocket, token })));
      let peak = rssBytes(serve.pid);
      const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(serve.pid))), 100);
      let recalls = 0;
      const until = performance.now() + holdMs;
      await Promise.all(
        clients.map((c, k) =>
          pool(IN_FLIGHT_PER_AGENT, IN_FLIGHT_PER_AGENT, async (j) => {
            for (let i = k * 7 + j; performance.now() < until; i += 13) {
              const r = await c.recall(ids[i % ids.length] ?? '');
              if (r.status !== 'ok') throw new Error('a level-1 recall did not return its content');
              recalls++;
            }
          }),
        ),
      );
      const busySeconds = (performance.now() - (until - holdMs)) / 1000;
      clearInterval(sampler);
      const end = rssBytes(serve.pid);
      peak = Math.max(peak, end);
      const reported = statusOfServer(dir, passFile);
      for (const c of clients) c.close();
      const figures: Figure[] = [
        figure({
          id: 'serve.rss.floor',
          label: 'serve RSS, no connection (the floor)',
          value: mb(floor),
          unit: 'MB',
          higherIsBetter: false,
        }),
        figure({
          id: 'serve.rss.agents.peak',
          label: `serve RSS, ${AGENTS} agents connected and recalling, peak`,
          value: mb(peak),
          unit: 'MB',
          higherIsBetter: false,
          ceiling: mb(floor),
          target: `< ${TARGET_MB} MB`,
          met: mb(peak) < TARGET_MB,
        }),
        figure({
          id: 'serve.rss.agents.status',
          label: `serve RSS as \`memory-vault status\` states it (${reported?.agentConnections ?? '?'} agent connections)`,
          value: reported === null ? Number.NaN : mb(reported.rssBytes),
          unit: 'MB',
          higherIsBetter: false,
          ceiling: mb(floor),
          target: `< ${TARGET_MB} MB`,
          met: reported === null ? null : mb(reported.rssBytes) < TARGET_MB,
        }),
        figure({
          id: 'serve.agents.recalls',
          label: `socket recalls/s meanwhile (${AGENTS} × ${IN_FLIGHT_PER_AGENT} in flight)`,
          value: recalls / busySeconds,
          unit: '/s',
          higherIsBetter: true,
        }),
      ];
      const lines = figures.map((f) => {
        const value = Number.isFinite(f.value)
          ? f.unit === 'MB'
            ? `${f.value.toFixed(0)} MB`
            : `${Math.round(f.value).toLocaleString('en-US')}/s`
          : 'n/a';
        const ratio = f.ratio === null ? '' : `${(1 / f.ratio).toFixed(2)}× floor`;
        const verdict = f.met === null ? '' : f.met ? 'ok' : 'MISS';
        return `${f.label.padEnd(72)}  ${value.padStart(9)}  ${ratio.padStart(11)}  ${(f.target ?? '').padEnd(9)}  ${verdict}`;
      });
      process.stdout.write(
        `\n${lines.join('\n')}\nRatio: RSS against the same server with no connection, this run. Caveat: ${cpus().length} shared cores; load average now ${loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}.\n`,
      );
      writeFileSync(
        out,
        `${JSON.stringify({ generatedAt: new Date().toISOString(), quick, holdMs, figures, loadAverage: loadavg() }, null, 2)}\n`,
      );
    } finally {
      await stopServe(serve.proc);
    }
    progress(`agents RSS: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`[bench] failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
