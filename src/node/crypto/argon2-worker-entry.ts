// Where the Argon2id worker thread's code comes from, for the three ways this module runs:
//   - compiled (`dist/`, the CLI and `serve`): argon2-worker.js sits beside this file;
//   - bundled (the Electron main build, out/main/): electron.vite.config.ts emits
//     argon2-worker.js as its own entry beside index.js, which is where this code then lives;
//   - TypeScript sources (vitest): Node 20 cannot run the .ts worker, so its TypeScript is
//     bundled once per process with esbuild (already installed as vite's own compiler) into one
//     CommonJS string, run with `eval`; packages (libsodium, zod) stay outside the bundle and are
//     required by absolute path, as an eval'd worker has no directory to resolve them from. Only
//     this mode needs esbuild, loaded on demand, so a production install never touches it.
// No mode falls back to deriving on the event loop: a missing worker file is an error.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Plugin } from 'esbuild';
import { VaultError } from '../../core/errors.js';

const here = import.meta.url;
let sourceBundle: Promise<string> | undefined;

/** 'compiled' beside a .js file, 'source' when this module is the TypeScript file itself. */
export function workerMode(): 'compiled' | 'source' {
  return fileURLToPath(here).endsWith('.ts') ? 'source' : 'compiled';
}

/** Bare package imports become requires of the package's resolved CommonJS entry. */
const packagesByAbsolutePath: Plugin = {
  name: 'packages-by-absolute-path',
  setup(build) {
    const requireHere = createRequire(here);
    build.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('node:') ? { external: true } : { path: requireHere.resolve(args.path), external: true },
    );
  },
};

async function bundleSource(entry: string): Promise<string> {
  const esbuild = await import('esbuild');
  const out = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
    plugins: [packagesByAbsolutePath],
  });
  const file = out.outputFiles[0];
  if (file === undefined) throw new VaultError('INTERNAL', 'Bundling the key-derivation worker produced no output.');
  return file.text;
}

// The parent's Node flags are not the worker's business (and some, like --input-type, make a
// worker refuse to start).
const OPTIONS = { execArgv: [] };

/** Start one Argon2id worker thread. */
export async function spawnArgon2Worker(): Promise<Worker> {
  if (workerMode() === 'source') {
    sourceBundle ??= bundleSource(fileURLToPath(new URL('./argon2-worker.ts', here)));
    return new Worker(await sourceBundle, { ...OPTIONS, eval: true });
  }
  const compiled = new URL('./argon2-worker.js', here);
  if (!existsSync(fileURLToPath(compiled))) {
    throw new VaultError('INTERNAL', `The key-derivation worker is missing: expected ${fileURLToPath(compiled)}.`);
  }
  return new Worker(compiled, OPTIONS);
}
