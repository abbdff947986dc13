// Argon2id off the event loop. One Argon2id run at the vault's cost takes ~1 s of CPU and
// 256 MiB; on the event loop it stalled every agent for that long per owner guess. Every
// node-side passphrase derivation (unlock, owner re-authentication and logins, init, rotation,
// backup) goes through this pool instead, and so does the owner channel's OPAQUE registration
// (its client half runs the library's own 64 MiB Argon2id, whose wasm memory would otherwise
// stay resident in the server for good).
// Invariants: derivations run only in worker threads (a missing worker is an error, never a
// silent in-thread fallback); the passphrase or credential crosses once as bytes that are
// transferred (the sender's copy is detached) and zeroed by the worker, or zeroed here when it
// never left; the key comes back as a transferred buffer that the caller zeroes; errors come
// back as data with a stable code; nothing here logs. Requests queue (bounded) behind a small
// number of workers; an idle worker is ended so the up to 256 MiB of WebAssembly memory it grew
// is given back to the system.
import type { Worker } from 'node:worker_threads';
import { passphraseBytes, type Argon2idParams } from '../../core/crypto/passphrase-kdf.js';
import { VaultError } from '../../core/errors.js';
import { workReplySchema, type Work, type WorkRequest, type WorkResult } from './argon2-protocol.js';
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

/** The result each kind of work expects back (a reply of another kind is refused). */
type ResultOf<K extends Work['kind']> = Extract<WorkResult, { kind: K }>;

interface Job {
  readonly id: number;
  readonly work: Work;
  /** The work's secret bytes: transferred with the request, zeroed here if it never left. */
  readonly secret: Uint8Array<ArrayBuffer>;
  readonly resolve: (result: WorkResult) => void;
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
  async derive(passphrase: string, params: Argon2idParams): Promise<Buffer> {
    const bytes = passphraseBytes(passphrase);
    const r = await this.submit('argon2id', bytes, { kind: 'argon2id', passphrase: bytes, params });
    return Buffer.from(r.key.buffer, r.key.byteOffset, r.key.byteLength);
  }

  /**
   * The owner channel's OPAQUE registration (both halves, fresh server setup) in a worker
   * thread, from the OPAQUE password as given (UTF-8, not normalised: the client logs in with
   * the same string). Resolves to what the server keeps in memory.
   */
  async registerOpaqueOwner(password: string): Promise<{ serverSetup: string; record: string }> {
    const bytes = new TextEncoder().encode(password);
    const { serverSetup, record } = await this.submit('opaque-registration', bytes, { kind: 'opaque-registration', password: bytes });
    return { serverSetup, record };
  }

  private submit<K extends Work['kind']>(kind: K, secret: Uint8Array<ArrayBuffer>, work: Extract<Work, { kind: K }>): Promise<ResultOf<K>> {
    const refused = this.closed
      ? new VaultError('INTERNAL', 'The key-derivation pool is closed.')
      : this.queue.length >= this.maxQueued
        ? new VaultError('RATE_LIMITED', 'Too many key derivations are waiting; try again shortly.')
        : null;
    if (refused) {
      secret.fill(0);
      return Promise.reject(refused);
    }
    return new Promise<ResultOf<K>>((resolve, reject) => {
      const accept = (result: WorkResult) => {
        if (isResultOf(kind, result)) resolve(result);
        else reject(new VaultError('INTERNAL', WORKER_FAILED));
      };
      this.queue.push({ id: this.nextId++, work, secret, resolve: accept, reject });
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
    const req: WorkRequest = { id: job.id, work: job.work };
    try {
      slot.worker.postMessage(req, [job.secret.buffer]);
    } catch (e) {
      slot.job = null;
      this.fail(job, e);
      this.park(slot);
    }
  }

  private onReply(slot: Slot, raw: unknown): void {
    const job = slot.job;
    const reply = workReplySchema.safeParse(raw);
    if (job === null || !reply.success || reply.data.id !== job.id || (reply.data.ok && reply.data.result.kind !== job.work.kind)) {
      // Our own worker answering out of turn (or with another kind of result): it cannot be
      // trusted with the next job either.
      if (job) this.fail(job, new VaultError('INTERNAL', WORKER_FAILED));
      slot.job = null;
      this.retire(slot);
      return;
    }
    slot.job = null;
    const r = reply.data;
    if (r.ok) job.resolve(r.result);
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
    if (job.secret.byteLength > 0) job.secret.fill(0);
    job.reject(e);
  }
}

function isResultOf<K extends Work['kind']>(kind: K, result: WorkResult): result is ResultOf<K> {
  return result.kind === kind;
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
