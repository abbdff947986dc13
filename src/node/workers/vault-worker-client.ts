// Runs one job of vault-worker.ts in a worker thread of its own and answers with its parsed
// result. Invariants: the database key crosses once, as a fresh buffer transferred to the worker
// (the copy it was made from is zeroed here at once); the caller's AbortSignal terminates the
// worker and the job fails with CANCELLED; a worker that dies or answers out of protocol fails
// the job with INTERNAL, never with its own text; progress is passed on as counts.
import type { z } from 'zod';
import { cancelledError, throwIfCancelled, type LongWorkOptions } from '../../core/long-work.js';
import { VaultError } from '../../core/errors.js';
import { spawnScriptWorker } from './script-worker.js';
import { vaultWorkerMessageSchema, type VaultJob, type VaultWorkerStart } from './vault-worker-protocol.js';

/** How a worker reaches the session's database: its file and a fresh copy of its key (the caller of key() owns the copy). */
export interface WorkerDatabase {
  readonly path: string;
  key(): Buffer;
}

const STOPPED = 'The vault worker stopped before it answered.';

export async function runVaultJob<T>(
  database: WorkerDatabase,
  job: VaultJob,
  resultSchema: z.ZodType<T>,
  opts: LongWorkOptions,
  what: string,
): Promise<T> {
  throwIfCancelled(opts.signal, what);
  const worker = await spawnScriptWorker(import.meta.url, 'vault-worker', 'vault');
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (answer: () => void) => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      answer();
    };
    const onAbort = () => finish(() => reject(cancelledError(what)));
    worker.on('message', (raw: unknown) => {
      const m = vaultWorkerMessageSchema.safeParse(raw);
      if (!m.success) return finish(() => reject(new VaultError('INTERNAL', 'The vault worker answered out of protocol.')));
      const msg = m.data;
      if (msg.t === 'progress') return opts.onProgress?.({ phase: msg.phase, done: msg.done, total: msg.total });
      if (msg.t === 'failed') return finish(() => reject(new VaultError(msg.code, msg.message)));
      const result = resultSchema.safeParse(msg.result);
      finish(() =>
        result.success ? resolve(result.data) : reject(new VaultError('INTERNAL', 'The vault worker answered out of protocol.')),
      );
    });
    worker.on('error', () => finish(() => reject(new VaultError('INTERNAL', STOPPED))));
    worker.on('exit', () => finish(() => reject(new VaultError('INTERNAL', STOPPED))));
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    let key: Uint8Array<ArrayBuffer>;
    try {
      const copy = database.key();
      // A fresh ArrayBuffer of exactly the key's size: transferable, unlike Node's pooled Buffer slab.
      key = new Uint8Array(copy.length);
      key.set(copy);
      copy.fill(0);
    } catch (e) {
      finish(() => reject(e));
      return;
    }
    const start: VaultWorkerStart = { database: { path: database.path, key }, job };
    worker.postMessage(start, [key.buffer]);
  });
}
