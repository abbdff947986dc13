// A real `memory-vault serve` process for the benchmarks that measure it from outside (RSS with
// idle connections, RSS with agents at work): started on a vault with its passphrase in a file,
// resolved once it prints its listening line, and its resident memory read from /proc (Linux).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const here = dirname(fileURLToPath(import.meta.url));
export const CLI_ENTRY = join(here, '..', '..', 'bin', 'memory-vault.js');

/** Resident set size of process `pid`, from /proc/<pid>/status (VmRSS). */
export function rssBytes(pid: number): number {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m?.[1]) throw new Error('VmRSS not found');
  return Number(m[1]) * 1024;
}

const listeningSchema = z.object({
  ok: z.literal(true),
  result: z.object({ event: z.literal('listening'), agentSocket: z.string(), pid: z.number().int() }),
});

export interface ServeProcess {
  readonly proc: ChildProcess;
  readonly agentSocket: string;
  readonly pid: number;
}

export function startServe(dir: string, passphraseFile: string): Promise<ServeProcess> {
  const proc = spawn(process.execPath, [CLI_ENTRY, '--json', '--vault', dir, 'serve'], {
    env: { ...process.env, MEMORY_VAULT_PASSPHRASE_FILE: passphraseFile },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let buf = '';
    proc.stdout?.on('data', (d: Buffer) => {
      buf += d.toString('utf8');
      for (const line of buf.split('\n').slice(0, -1)) {
        try {
          const m = listeningSchema.safeParse(JSON.parse(line));
          if (m.success) resolve({ proc, agentSocket: m.data.result.agentSocket, pid: m.data.result.pid });
        } catch {
          /* not the listening line */
        }
      }
    });
    proc.once('exit', (code) => reject(new Error(`memory-vault serve exited (${code ?? 'signal'}) before listening`)));
  });
}

/** SIGTERM, then wait for the exit (the server closes its sockets and the vault). */
export function stopServe(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    proc.once('exit', () => resolve());
    proc.kill('SIGTERM');
  });
}
