// Invariant: secrets travel to and from tpm2-tools only through pipes (stdin / stdout), never
// through a file; a failed run always surfaces as a classified VaultError without tool output.

import { execa } from 'execa';
import { classifyToolFailure } from './tpm-error.js';

export interface RunOptions {
  /** Bytes fed on stdin (e.g. the secret for `tpm2_create -i -`). */
  readonly input?: Uint8Array;
  /** Working directory for relative work files. */
  readonly cwd?: string;
}

export interface ToolRunner {
  /** Runs one tool; resolves with raw stdout, rejects with a classified VaultError. */
  run(tool: string, args: readonly string[], options?: RunOptions): Promise<Uint8Array>;
  /** Same as run, but never rejects (for best-effort cleanup such as flushes). */
  tryRun(tool: string, args: readonly string[], options?: RunOptions): Promise<boolean>;
}

export interface RunnerConfig {
  /** TCTI string (e.g. `swtpm:host=127.0.0.1,port=2321`); undefined = the tools' default (`device:`). */
  readonly tcti?: string | undefined;
  /** Per-tool timeout. Real TPM chips can take seconds for a key generation. */
  readonly timeoutMs?: number | undefined;
}

const DEFAULT_TIMEOUT_MS = 120_000;

export function createToolRunner(config: RunnerConfig = {}): ToolRunner {
  const env: Record<string, string> = {};
  if (config.tcti !== undefined) env['TPM2TOOLS_TCTI'] = config.tcti;
  const timeout = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  async function exec(tool: string, args: readonly string[], options: RunOptions) {
    return execa(tool, args, {
      env,
      extendEnv: true,
      encoding: 'buffer',
      stripFinalNewline: false,
      reject: false,
      timeout,
      ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
      ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' as const }),
    });
  }

  return {
    async run(tool, args, options = {}) {
      const r = await exec(tool, args, options);
      if (!r.failed) return r.stdout;
      throw classifyToolFailure({
        tool,
        stderr: Buffer.from(r.stderr).toString('utf8'),
        exitCode: r.exitCode,
        spawnErrorCode: typeof r.code === 'string' && r.exitCode === undefined ? r.code : undefined,
        timedOut: r.timedOut,
      });
    },
    async tryRun(tool, args, options = {}) {
      try {
        const r = await exec(tool, args, options);
        return !r.failed;
      } catch {
        return false;
      }
    },
  };
}
