// `inject`: render a template to a private file, run the command with the file's path, remove
// the file. Invariants: the command sees the path (in INJECT_FILE_ENV and for each `{}`
// argument), never a value; the file is removed when the command exits, fails to start, is
// killed, or this process gets SIGINT/SIGTERM (private-file.ts); output is masked as for `run`.
import { removeOnSignal, writePrivateFile } from './private-file.js';
import { runWithSecrets, type SecretRunOptions, type SecretRunResult } from './secret-runner.js';

export const INJECT_FILE_ENV = 'MEMORY_VAULT_INJECT_FILE';
/** An argument exactly equal to this is replaced by the rendered file's path. */
export const INJECT_PATH_ARG = '{}';

export interface InjectRunOptions extends SecretRunOptions {
  /** The rendered template; zero-filled once written. */
  readonly rendered: Buffer;
  /** Write here (must not exist) instead of a fresh private directory. */
  readonly outPath?: string;
  /** Base directory for the private directory (tests); default private-file.ts privateBaseDir(). */
  readonly baseDir?: string;
  /** Told the path once the file exists (tests, and the CLI's --json). */
  readonly onFile?: (path: string) => void;
}

export async function injectAndRun(opts: InjectRunOptions): Promise<SecretRunResult & { readonly filePath: string }> {
  let file;
  try {
    file = writePrivateFile(opts.rendered, opts.outPath, ...(opts.baseDir !== undefined ? [opts.baseDir] : []));
  } finally {
    opts.rendered.fill(0);
  }
  const path = file.path;
  let running: { kill: () => void } | null = null;
  const release = removeOnSignal(file, () => running?.kill());
  try {
    opts.onFile?.(path);
    const result = await runWithSecrets({
      ...opts,
      args: opts.args.map((a) => (a === INJECT_PATH_ARG ? path : a)),
      baseEnv: { ...opts.baseEnv, [INJECT_FILE_ENV]: path },
      onSpawn: (child) => {
        running = { kill: () => child.kill('SIGKILL') };
        opts.onSpawn?.(child);
      },
    });
    return { ...result, filePath: path };
  } finally {
    running = null;
    file.remove();
    release();
  }
}
