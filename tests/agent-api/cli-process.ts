// Spawning the real CLI as child processes for end-to-end tests (needs `npm run build:node`).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BIN = join(process.cwd(), 'bin', 'memory-vault.js');
if (!existsSync(join(process.cwd(), 'dist', 'cli', 'main.js')))
  throw new Error('dist/ is missing: run `npm run build:node` first (npm test does).');

export interface CliVault {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
  cli(args: string[], input?: string): { status: number; stdout: string; stderr: string };
  json<T>(args: string[], input?: string): T;
  remove(): void;
}

export function cliVault(): CliVault {
  const root = mkdtempSync(join(tmpdir(), 'mv-e2e-'));
  const pp = join(root, 'passphrase');
  writeFileSync(pp, 'correct horse battery staple', { mode: 0o600 });
  const dir = join(root, 'vault');
  const env = { ...process.env, MEMORY_VAULT_PASSPHRASE_FILE: pp, MEMORY_VAULT_DIR: dir };
  const cli = (args: string[], input?: string) => {
    const r = spawnSync(process.execPath, [BIN, ...args], { env, input: input ?? '', encoding: 'utf8' });
    return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };
  const v: CliVault = {
    dir,
    env,
    cli,
    json<T>(args: string[], input?: string): T {
      const r = cli(['--json', ...args], input);
      const parsed = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { ok: boolean; result: T; error?: unknown };
      if (!parsed.ok)
        throw Object.assign(new Error(`CLI ${args.join(' ')} failed: ${JSON.stringify(parsed.error)}`), {
          cli: parsed.error,
          status: r.status,
        });
      return parsed.result;
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
  const init = cli(['init', '--kdf-memory', '8', '--kdf-ops', '1']);
  if (init.status !== 0) throw new Error(`init failed: ${init.stderr}`);
  return v;
}

/** A child whose combined output we can wait on. */
export class Watched {
  output = '';
  constructor(readonly child: ChildProcess) {
    child.stdout?.on('data', (d: Buffer) => (this.output += d.toString('utf8')));
    child.stderr?.on('data', (d: Buffer) => (this.output += d.toString('utf8')));
  }

  async waitFor(pattern: RegExp, timeoutMs = 20_000, from = 0): Promise<RegExpMatchArray> {
    const start = Date.now();
    for (;;) {
      const m = this.output.slice(from).match(pattern);
      if (m) return m;
      if (this.child.exitCode !== null) throw new Error(`process exited (${this.child.exitCode}) before ${pattern}: ${this.output}`);
      if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${pattern}; output so far:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  exited(): Promise<number | null> {
    return this.child.exitCode !== null ? Promise.resolve(this.child.exitCode) : new Promise((r) => this.child.once('exit', (c) => r(c)));
  }
}

/** `memory-vault serve` on a pseudo-terminal (util-linux `script`), so the owner can answer on its TTY. */
export function serveOnPty(v: CliVault, extra: string[] = []): Watched {
  const cmd = [process.execPath, BIN, 'serve', ...extra].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Watched(spawn('script', ['-qfec', cmd, '/dev/null'], { env: v.env, stdio: ['pipe', 'pipe', 'pipe'] }));
}

/** `memory-vault serve` without a terminal (approvals through `memory-vault approvals`). */
export function serveHeadless(v: CliVault, extra: string[] = []): Watched {
  return new Watched(spawn(process.execPath, [BIN, '--json', 'serve', ...extra], { env: v.env, stdio: ['pipe', 'pipe', 'pipe'] }));
}

/** Stop a served vault started by serveOnPty/serveHeadless and remove its directory (afterAll of every serve test). */
export async function stopServed(serve: Watched | undefined, serverPid: number, v: CliVault | undefined): Promise<void> {
  if (serverPid) {
    try {
      process.kill(serverPid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
  if (serve) await Promise.race([serve.exited(), new Promise((r) => setTimeout(r, 10_000))]);
  v?.remove();
}
