// Where the Argon2id worker thread's code comes from: argon2-worker.ts beside this module, in
// whichever of the three ways the node code runs (see workers/script-worker.ts). The Electron
// main build emits it as its own entry (electron.vite.config.ts).
import type { Worker } from 'node:worker_threads';
import { spawnScriptWorker, workerModeOf } from '../workers/script-worker.js';

/** 'compiled' beside a .js file, 'source' when this module is the TypeScript file itself. */
export function workerMode(): 'compiled' | 'source' {
  return workerModeOf(import.meta.url);
}

/** Start one Argon2id worker thread. */
export function spawnArgon2Worker(): Promise<Worker> {
  return spawnScriptWorker(import.meta.url, 'argon2-worker', 'key-derivation');
}
