// Runs the compiled CLI (dist/, built by `npm run build:node` before the tests) in a child
// process, optionally with a V8 heap cap and peak-RSS reporting.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const BIN = join(REPO_ROOT, 'bin', 'memory-vault.js');
export const DIST = join(REPO_ROOT, 'dist');
const RSS_REPORTER = join(REPO_ROOT, 'tests', 'recovery', 'support', 'report-rss.mjs');

if (!existsSync(join(DIST, 'cli', 'main.js'))) {
  throw new Error('tests/recovery need the compiled CLI in dist/: run `npm run build:node` first.');
}

export interface CliRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Peak resident set size of the child, MB (only with `measure`). */
  readonly maxRssMb: number | null;
  /** The `--json` document on stdout, when there is one. */
  readonly json: { ok: boolean; result?: Record<string, unknown>; error?: { code: string; message: string } } | null;
}

export async function runCli(
  args: readonly string[],
  opts: { env?: Record<string, string>; heapMb?: number; measure?: boolean } = {},
): Promise<CliRun> {
  const nodeArgs = [...(opts.heapMb ? [`--max-old-space-size=${opts.heapMb}`] : []), ...(opts.measure ? ['--import', RSS_REPORTER] : [])];
  const r = await execa(process.execPath, [...nodeArgs, BIN, ...args], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...opts.env },
    extendEnv: false,
    reject: false,
    timeout: 300_000,
  });
  const m = /MV_MAXRSS_KB=(\d+)/.exec(r.stderr);
  let json: CliRun['json'] = null;
  try {
    json = JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as CliRun['json'];
  } catch {
    json = null;
  }
  return { exitCode: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr, maxRssMb: m ? Number(m[1]) / 1024 : null, json };
}
