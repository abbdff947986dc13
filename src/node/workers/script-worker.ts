// Starting a worker thread from a module that sits beside its caller, for the three ways the
// node code runs:
//   - compiled (`dist/`, the CLI and `serve`): `<name>.js` sits beside the calling module;
//   - bundled (the Electron main build, out/main/): electron.vite.config.ts emits `<name>.js` as
//     its own entry beside index.js, which is where the calling code then lives;
//   - TypeScript sources (vitest): Node 20 cannot run a .ts worker, so its TypeScript is bundled
//     once per process with esbuild (already installed as vite's own compiler) into one CommonJS
//     string, run with `eval`; packages (libsodium, zod, better-sqlite3) stay outside the bundle
//     and are required by absolute path, as an eval'd worker has no directory to resolve them
//     from. Only this mode needs esbuild, loaded on demand, so a production install never
//     touches it.
// No mode falls back to running the work on the event loop: a missing worker file is an error.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Plugin } from 'esbuild';
import { VaultError } from '../../core/errors.js';

const bundles = new Map<string, Promise<string>>();

/** 'compiled' when `callerUrl` is a .js file, 'source' when it is the TypeScript file itself. */
export function workerModeOf(callerUrl: string): 'compiled' | 'source' {
  return fileURLToPath(callerUrl).endsWith('.ts') ? 'source' : 'compiled';
}

/** Bare package imports become requires of the package's resolved CommonJS entry. */
const packagesByAbsolutePath: Plugin = {
  name: 'packages-by-absolute-path',
  setup(build) {
    const requireHere = createRequire(import.meta.url);
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
  if (file === undefined) throw new VaultError('INTERNAL', `Bundling the worker ${entry} produced no output.`);
  return file.text;
}

// The parent's Node flags are not the worker's business (and some, like --input-type, make a
// worker refuse to start).
const OPTIONS = { execArgv: [] };

/** Start the worker thread `<name>` found beside the module at `callerUrl` (its import.meta.url). */
export async function spawnScriptWorker(callerUrl: string, name: string, what: string): Promise<Worker> {
  if (workerModeOf(callerUrl) === 'source') {
    const entry = fileURLToPath(new URL(`./${name}.ts`, callerUrl));
    let bundle = bundles.get(entry);
    if (!bundle) {
      bundle = bundleSource(entry);
      bundles.set(entry, bundle);
    }
    return new Worker(await bundle, { ...OPTIONS, eval: true });
  }
  const compiled = new URL(`./${name}.js`, callerUrl);
  if (!existsSync(fileURLToPath(compiled))) {
    throw new VaultError('INTERNAL', `The ${what} worker is missing: expected ${fileURLToPath(compiled)}.`);
  }
  return new Worker(compiled, OPTIONS);
}
