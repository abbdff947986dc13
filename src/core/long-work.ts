// What a long owner operation (full audit verification, backup) takes from its caller: a
// progress callback and a cancel signal. Shells run such work in worker threads; cancelling ends
// the worker and the operation fails with CANCELLED, having changed nothing.
import { VaultError } from './errors.js';

export interface WorkProgress {
  /** A short stable word: 'verify', 'backup', … */
  readonly phase: string;
  readonly done: number;
  /** 0 when not known in advance. */
  readonly total: number;
}

export interface LongWorkOptions {
  readonly onProgress?: (p: WorkProgress) => void;
  readonly signal?: AbortSignal;
}

export function cancelledError(what: string): VaultError {
  return new VaultError('CANCELLED', `${what} was cancelled; nothing was changed.`);
}

/** Throws CANCELLED when `signal` has fired. */
export function throwIfCancelled(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw cancelledError(what);
}
