// Argon2id off the event loop. One Argon2id run at the vault's cost takes ~1 s of CPU and
// 256 MiB; on the event loop it stalled every agent for that long per owner guess. Every
// node-side passphrase derivation (unlock, owner re-authentication and logins, init, rotation,
// backup) goes through this pool instead.
// Invariants: derivations run only in worker threads (a missing worker is an error, never a
// silent in-thread fallback); the passphrase crosses once as bytes that are transferred (the
// sender's copy is detached) and zeroed by the worker; the key comes back as a transferred
// buffer that the caller zeroes; errors come back as data with a stable code; nothing here
// logs. Requests queue (bounded) behind a small number of workers; an idle worker is ended so
// the up to 256 MiB of WebAssembly memory it grew is given back to the system.
import type { Worker } from 'node:worker_threads';
import { passphraseBytes, type Argon2idParams } from '../../core/crypto/passphrase-kdf.js';
import { VaultError } from '../../core/errors.js';
import { argon2ReplySchema, type Argon2Request } from './argon2-protocol.js';
import { spawnArgon2Worker } from './argon2-worker-entry.js';

export interface Argon2PoolOptions {
  /**
   * Worker threads at most. One by default: on a two-core machine a second concurrent Argon2id
   * run would take the core the event loop needs, and each run holds up to 256 MiB.
   */
  readonly maxWorkers?: number;
  /** Requests waiting beyond the running ones; more are refused with RATE_LIMITED. */
  readonly maxQueued?: number;
  /** An idle worker is ended after this long (its memory goes back to the system). */
  readonly idleMs?: number;
  /** How a worker is started (tests substitute one that fails); spawnArgon2Worker by default. */
  readonly spawnWorker?: () => Promise<Worker>;
}

interface Job {
  readonly id: number;
  readonly passphrase: Uint8Array<ArrayBuffer>;
  readonly params: Argon2idParams;
  readonly resolve: (key: Buffer) => void;
  readonly reject: (e: unknown) => void;
}

interface Slot {
  readonly worker: Worker;
  job: Job | null;
  idleTimer: NodeJS.Timeout | null;
}

const WORKER_FAILED = 'Key derivation failed in its worker thread.';

/**
 * How long an idle worker lives by default. Back-to-back derivations (a burst of guesses, an
 * init followed by an unlock) reuse it; a person typing again gets a fresh one (~0.1 s to start,
 * off the event loop), and the memory is not held for long.
 */
export const ARGON2_IDLE_MS = 2_000;

export class Argon2Pool {
  private readonly maxWorkers: number;
  private readonly maxQueued: number;
  private readonly idleMs: number;
  private readonly spawnWorker: () => Promise<Worker>;
  private readonly queue: Job[] = [];
  private readonly slots = new Set<Slot>();
  private starting = 0;
  private nextId = 1;
  private closed = false;

  constructor(opts: Argon2PoolOptions = {}) {
    this.maxWorkers = Math.max(1, opts.maxWorkers ?? 1);
    this.maxQueued = Math.max(0, opts.maxQueued ?? 64);
    this.idleMs = Math.max(0, opts.idleMs ?? ARGON2_IDLE_MS);
    this.spawnWorker = opts.spawnWorker ?? spawnArgon2Worker;
  }

  /** Worker threads alive now (busy or idle). */
  get workers(): number {
    return this.slots.size;
  }

  /** Derive the 32-byte key for `passphrase` in a worker thread. The caller zeroes the result. */
  derive(passphrase: string, params: Argon2idParams): Promise<Buffer> {
    if (this.closed) return Promise.reject(new VaultError('INTERNAL', 'The key-derivation pool is closed.'));
    if (this.queue.length >= this.maxQueued) {
      return Promise.reject(new VaultError('RATE_LIMITED', 'Too many key derivations are waiting; try again shortly.'));
    }
    return new Promise<Buffer>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, passphrase: passphraseBytes(passphrase), params, resolve, reject });
      this.dispatch();
    });
  }

  /** End every worker; waiting and running derivations fail with INTERNAL. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) this.fail(job, new VaultError('INTERNAL', 'The key-derivation pool is closed.'));
    const ending = [...this.slots].map((slot) => {
      this.slots.delete(slot);
      if (slot.job) this.fail(slot.job, new VaultError('INTERNAL', 'The key-derivation pool is closed.'));
      slot.job = null;
      if (slot.idleTimer) clearTimeout(slot.idleTimer);
      return slot.worker.terminate();
    });
    await Promise.all(ending);
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.job === null) this.run(slot);
    }
    const wanted = Math.min(this.queue.length - this.starting, this.maxWorkers - this.slots.size - this.starting);
    for (let i = 0; i < wanted; i++) this.start();
  }

  private start(): void {
    this.starting++;
    this.spawnWorker().then(
      (worker) => {
        this.starting--;
        if (this.closed) {
          void worker.terminate();
          return;
        }
        const slot: Slot = { worker, job: null, idleTimer: null };
        this.slots.add(slot);
        worker.on('message', (raw: unknown) => this.onReply(slot, raw));
        // A crash (uncaught error, out of memory) ends the worker: its job fails, a later
        // request starts a fresh one.
        worker.on('error', () => this.retire(slot));
        worker.on('exit', () => this.retire(slot));
        this.run(slot);
        if (slot.job === null) this.park(slot);
      },
      (e: unknown) => {
        this.starting--;
        // Without a worker nothing can be derived: fail what waits rather than hang it.
        if (this.slots.size === 0 && this.starting === 0) for (const job of this.queue.splice(0)) this.fail(job, e);
      },
    );
  }

  private run(slot: Slot): void {
    const job = this.queue.shift();
    if (job === undefined) return;
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.idleTimer = null;
    slot.job = job;
    // Referenced while it works (a CLI awaiting an unlock must not exit), unreferenced when idle.
    slot.worker.ref();
    const req: Argon2Request = { id: job.id, passphrase: job.passphrase, params: job.params };
    try {
      slot.worker.postMessage(req, [job.passphrase.buffer]);
    } catch (e) {
      slot.job = null;
      this.fail(job, e);
      this.park(slot);
    }
  }

  private onReply(slot: Slot, raw: unknown): void {
    const job = slot.job;
    const reply = argon2ReplySchema.safeParse(raw);
    if (job === null || !reply.success || reply.data.id !== job.id) {
      // Our own worker answering out of turn: it cannot be trusted with the next job either.
      if (job) this.fail(job, new VaultError('INTERNAL', WORKER_FAILED));
      slot.job = null;
      this.retire(slot);
      return;
    }
    slot.job = null;
    const r = reply.data;
    if (r.ok) job.resolve(Buffer.from(r.key.buffer, r.key.byteOffset, r.key.byteLength));
    else job.reject(new VaultError(r.error.code, r.error.message));
    this.run(slot);
    if (slot.job === null) this.park(slot);
  }

  private park(slot: Slot): void {
    slot.worker.unref();
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.idleTimer = setTimeout(() => {
      this.slots.delete(slot);
      void slot.worker.terminate();
    }, this.idleMs);
    slot.idleTimer.unref();
  }

  private retire(slot: Slot): void {
    if (!this.slots.delete(slot)) return;
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    if (slot.job) this.fail(slot.job, new VaultError('INTERNAL', WORKER_FAILED));
    slot.job = null;
    void slot.worker.terminate();
    this.dispatch();
  }

  private fail(job: Job, e: unknown): void {
    // Once posted, the bytes belong to the worker (detached here: length 0, fill would throw).
    if (job.passphrase.byteLength > 0) job.passphrase.fill(0);
    job.reject(e);
  }
}

let shared: Argon2Pool | undefined;

/** The process-wide pool every node-side caller shares (one queue, so guesses cannot pile up). */
export function argon2Pool(): Argon2Pool {
  shared ??= new Argon2Pool();
  return shared;
}

/** Argon2id for a passphrase profile, in a worker thread. The caller zeroes the result. */
export function derivePassphraseKey(passphrase: string, params: Argon2idParams): Promise<Buffer> {
  return argon2Pool().derive(passphrase, params);
}
