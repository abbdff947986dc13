// Runs one job of vault-worker.ts in a worker thread of its own and answers with its parsed
// result. Invariants: the database key (and a backup's key) cross once, as fresh buffers
// transferred to the worker (the copies they were made from are zeroed here at once); the
// caller's AbortSignal fails the job with CANCELLED once the worker has stopped and cleaned up
// (it polls a shared flag; one that does not stop within CANCEL_GRACE_MS is terminated); a worker
// that dies or answers out of protocol fails the job with INTERNAL, never with its own text;
// progress is passed on as counts.
import type { z } from 'zod';
import { cancelledError, throwIfCancelled, type LongWorkOptions, type WorkProgress } from '../../core/long-work.js';
import { VaultError } from '../../core/errors.js';
import { spawnScriptWorker } from './script-worker.js';
import { vaultWorkerMessageSchema, type VaultJob, type VaultWorkerStart } from './vault-worker-protocol.js';

/** How a worker reaches the session's database: its file and a fresh copy of its key (the caller of key() owns the copy). */
export interface WorkerDatabase {
  readonly path: string;
  key(): Buffer;
}

export interface VaultJobOptions extends Omit<LongWorkOptions, 'onProgress'> {
  readonly onProgress?: (p: WorkProgress & { readonly bytes?: number }) => void;
  /** Answers the worker's `ask` (the backup manifest to sign); a throw fails the job. */
  readonly answer?: (question: unknown) => unknown;
}

const STOPPED = 'The vault worker stopped before it answered.';
export const CANCEL_GRACE_MS = 5_000;

/** A fresh ArrayBuffer of exactly `bytes`' size (transferable, unlike Node's pooled Buffer slab); `bytes` is zeroed. */
export function transferableCopy(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  bytes.fill(0);
  return copy;
}

export async function runVaultJob<T>(
  database: WorkerDatabase,
  job: VaultJob,
  resultSchema: z.ZodType<T>,
  opts: VaultJobOptions,
  what: string,
): Promise<T> {
  throwIfCancelled(opts.signal, what);
  const worker = await spawnScriptWorker(import.meta.url, 'vault-worker', 'vault');
  const cancel = new SharedArrayBuffer(4);
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let cancelling = false;
    let grace: NodeJS.Timeout | undefined;
    const finish = (answer: () => void) => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      if (grace) clearTimeout(grace);
      void worker.terminate();
      answer();
    };
    const onAbort = () => {
      cancelling = true;
      Atomics.store(new Int32Array(cancel), 0, 1);
      grace = setTimeout(() => finish(() => reject(cancelledError(what))), CANCEL_GRACE_MS);
    };
    const outOfProtocol = () => finish(() => reject(new VaultError('INTERNAL', 'The vault worker answered out of protocol.')));
    worker.on('message', (raw: unknown) => {
      const m = vaultWorkerMessageSchema.safeParse(raw);
      if (!m.success) return outOfProtocol();
      const msg = m.data;
      if (msg.t === 'progress')
        return opts.onProgress?.({
          phase: msg.phase,
          done: msg.done,
          total: msg.total,
          ...(msg.bytes !== undefined ? { bytes: msg.bytes } : {}),
        });
      if (msg.t === 'ask') {
        if (!opts.answer) return outOfProtocol();
        try {
          worker.postMessage({ t: 'answer', answer: opts.answer(msg.question) });
        } catch (e) {
          finish(() => reject(e));
        }
        return;
      }
      if (msg.t === 'failed') return finish(() => reject(cancelling ? cancelledError(what) : new VaultError(msg.code, msg.message)));
      if (cancelling) return finish(() => reject(cancelledError(what)));
      const result = resultSchema.safeParse(msg.result);
      if (!result.success) return outOfProtocol();
      finish(() => resolve(result.data));
    });
    worker.on('error', () => finish(() => reject(cancelling ? cancelledError(what) : new VaultError('INTERNAL', STOPPED))));
    worker.on('exit', () => finish(() => reject(cancelling ? cancelledError(what) : new VaultError('INTERNAL', STOPPED))));
    if (opts.signal?.aborted) {
      onAbort();
      finish(() => reject(cancelledError(what)));
      return;
    }
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    let key: Uint8Array<ArrayBuffer>;
    try {
      key = transferableCopy(database.key());
    } catch (e) {
      finish(() => reject(e));
      return;
    }
    const start: VaultWorkerStart = { database: { path: database.path, key }, job, cancel };
    const transfer: ArrayBuffer[] = [key.buffer];
    if (job.kind === 'backup-write' && job.key.buffer instanceof ArrayBuffer) transfer.push(job.key.buffer);
    worker.postMessage(start, transfer);
  });
}
