// Running a command with resolved secrets. Invariants: a secret reaches the child only in its
// environment (never argv — a command line that contains a value is refused before anything is
// spawned, and the child is spawned without a shell); every byte the child writes to stdout or
// stderr passes a SecretMasker before the caller sees it; the child is killed when its time limit
// passes or the caller aborts; what the caller keeps is capped. The values themselves are wiped
// by whoever resolved them (they own the SecretValue), not here.
// Note: env values must be JS strings for spawn; V8 strings cannot be zero-filled, so a value
// lives in this process's heap until it is collected (docs/SECRETS.md says so).
import { spawn, type ChildProcess } from 'node:child_process';
import { VaultError } from '../../core/errors.js';
import { SecretMasker } from '../../core/secrets/secret-mask.js';
import type { SecretValue } from '../../core/secrets/secret-value.js';

export interface SecretEnvBinding {
  readonly name: string;
  readonly value: SecretValue;
}

export interface SecretRunOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** Non-secret environment of the child (the caller decides what to inherit). */
  readonly baseEnv: Readonly<Record<string, string | undefined>>;
  /** Only ever in the child's environment. */
  readonly secretEnv: readonly SecretEnvBinding[];
  /** Values masked in the output; default: the secretEnv values. */
  readonly maskValues?: readonly SecretValue[];
  /** 0 or absent: no limit. Past it: SIGTERM, then SIGKILL after killGraceMs. */
  readonly timeoutMs?: number;
  readonly killGraceMs?: number;
  /** Masked bytes kept per stream in the result (default 1 MiB); callbacks see everything. */
  readonly maxOutputBytes?: number;
  readonly stdin?: 'ignore' | 'inherit';
  readonly onStdout?: (masked: Buffer) => void;
  readonly onStderr?: (masked: Buffer) => void;
  readonly signal?: AbortSignal;
  /**
   * While the child runs, SIGINT/SIGTERM/SIGHUP sent to this process are passed to the child
   * instead of ending us, so its output is still masked to the end and its exit code reported.
   * (A terminal's Ctrl-C already reaches a child in our process group: SIGINT is then not sent twice.)
   */
  readonly forwardSignals?: boolean;
  /** Called once the child is running (its pid), e.g. to record it for cleanup. */
  readonly onSpawn?: (child: ChildProcess) => void;
}

export interface SecretRunResult {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  readonly stdout: Buffer;
  readonly stderr: Buffer;
  readonly stdoutTruncated: boolean;
  readonly stderrTruncated: boolean;
}

export const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;
export const DEFAULT_KILL_GRACE_MS = 2000;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** The value as an env string: UTF-8 without NUL, else it cannot be passed (SECRET_UNMASKABLE). */
function envString(b: SecretEnvBinding): string {
  const bytes = b.value.bytes();
  const text = bytes.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(bytes) || text.includes('\u0000')) {
    throw new VaultError(
      'SECRET_UNMASKABLE',
      `The value for ${b.name} is not UTF-8 text without NUL, so it cannot be passed in an environment variable; use inject.`,
    );
  }
  return text;
}

/** Refuse a command line that carries a value itself: argv is world-readable in /proc. */
export function assertNoSecretInArgv(argv: readonly string[], values: readonly SecretValue[]): void {
  for (const a of argv) {
    const arg = Buffer.from(a, 'utf8');
    for (const v of values) {
      if (v.length > 0 && arg.includes(v.bytes())) {
        throw new VaultError(
          'INVALID_INPUT',
          'A resolved secret appears in the command line; pass it through --env or a template instead. Nothing was run.',
        );
      }
    }
  }
}

class CappedSink {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  truncated = false;
  constructor(private readonly cap: number) {}
  add(b: Buffer): void {
    if (b.length === 0) return;
    const room = this.cap - this.size;
    if (room <= 0) {
      this.truncated = true;
      return;
    }
    const part = b.length <= room ? b : b.subarray(0, room);
    if (part.length < b.length) this.truncated = true;
    this.chunks.push(Buffer.from(part));
    this.size += part.length;
  }
  get bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

export async function runWithSecrets(opts: SecretRunOptions): Promise<SecretRunResult> {
  for (const b of opts.secretEnv) {
    if (!ENV_NAME.test(b.name))
      throw new VaultError('INVALID_INPUT', 'An environment variable name must be letters, digits and _ (not starting with a digit).');
  }
  const maskValues = opts.maskValues ?? opts.secretEnv.map((b) => b.value);
  assertNoSecretInArgv([opts.command, ...opts.args], maskValues);
  // Built before spawning: a value too short to mask refuses here (SECRET_UNMASKABLE), nothing runs.
  const outMask = new SecretMasker(maskValues.map((v) => v.bytes()));
  const errMask = new SecretMasker(maskValues.map((v) => v.bytes()));
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.baseEnv)) if (v !== undefined) env[k] = v;
  for (const b of opts.secretEnv) env[b.name] = envString(b);

  const stdinMode = opts.stdin ?? 'ignore';
  // Non-interactive runs get their own process group, so a time limit kills the whole tree;
  // an interactive one stays in the terminal's foreground group (it must read the terminal).
  const ownGroup = stdinMode !== 'inherit' && process.platform !== 'win32';
  const cap = opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const out = new CappedSink(cap);
  const err = new CappedSink(cap);

  return new Promise<SecretRunResult>((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawn(opts.command, [...opts.args], {
        cwd: opts.cwd,
        env,
        stdio: [stdinMode, 'pipe', 'pipe'],
        shell: false,
        detached: ownGroup,
      });
    } catch {
      reject(new VaultError('INVALID_INPUT', 'The command cannot be started.'));
      return;
    }
    let timedOut = false;
    let settled = false;
    let graceTimer: NodeJS.Timeout | undefined;
    const kill = (sig: NodeJS.Signals) => {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      try {
        if (ownGroup) process.kill(-child.pid, sig);
        else child.kill(sig);
      } catch {
        // Already gone.
      }
    };
    const stop = () => {
      kill('SIGTERM');
      graceTimer ??= setTimeout(() => kill('SIGKILL'), opts.killGraceMs ?? DEFAULT_KILL_GRACE_MS);
      graceTimer.unref();
    };
    const timer = opts.timeoutMs && opts.timeoutMs > 0 ? setTimeout(() => ((timedOut = true), stop()), opts.timeoutMs) : undefined;
    const onAbort = () => stop();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const forwarded = opts.forwardSignals
      ? FORWARDED_SIGNALS.map((sig) => {
          const h = () => {
            if (sig !== 'SIGINT' || ownGroup) kill(sig);
          };
          process.on(sig, h);
          return [sig, h] as const;
        })
      : [];

    const emitOut = (b: Buffer) => {
      if (b.length === 0) return;
      out.add(b);
      opts.onStdout?.(b);
    };
    const emitErr = (b: Buffer) => {
      if (b.length === 0) return;
      err.add(b);
      opts.onStderr?.(b);
    };
    child.stdout?.on('data', (c: Buffer) => emitOut(outMask.push(c)));
    child.stderr?.on('data', (c: Buffer) => emitErr(errMask.push(c)));

    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      if (graceTimer) clearTimeout(graceTimer);
      opts.signal?.removeEventListener('abort', onAbort);
      for (const [sig, h] of forwarded) process.off(sig, h);
      fn();
    };
    child.once('error', (e: NodeJS.ErrnoException) => {
      finish(() => reject(new VaultError('INVALID_INPUT', `The command cannot be started (${e.code ?? 'error'}).`)));
    });
    child.once('spawn', () => opts.onSpawn?.(child));
    child.once('close', (code, signal) => {
      finish(() => {
        emitOut(outMask.flush());
        emitErr(errMask.flush());
        resolve({
          exitCode: code,
          signal,
          timedOut,
          stdout: out.bytes,
          stderr: err.bytes,
          stdoutTruncated: out.truncated,
          stderrTruncated: err.truncated,
        });
      });
    });
  });
}
