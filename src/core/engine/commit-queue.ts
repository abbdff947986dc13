// Group commit. Concurrent operations enqueue their write work; one flush per event-loop turn
// runs them all in a single SQLite transaction (each in its own savepoint so one failure does
// not poison the others) and resolves each caller only after the transaction has committed.
// Invariant: a caller never sees its result — and so never plaintext — before its audit
// leaf is durable at the level it asked for; after a durable ('full') commit, that also means
// `afterDurableCommit` (the external checkpoint record) has finished — it may finish later, off
// the event loop (its promise), and later batches commit meanwhile; their callers wait their turn.
// Where the repository can flush off the loop (flushCommitted: the WAL fsynced in the file
// system's threads), a durable batch commits without the in-line fsync and is acknowledged only
// after that flush and then the hook: the loop that serves agents never waits for a disk flush.
import { VaultError, isVaultError } from '../errors.js';
import type { Durability, VaultRepository } from '../ports/vault-repository.port.js';

interface Pending<T> {
  readonly work: () => T;
  readonly durability: Durability;
  readonly resolve: (value: T) => void;
  readonly reject: (error: unknown) => void;
}

type AnyPending = Pending<unknown>;

export class CommitQueue {
  private queue: AnyPending[] = [];
  private scheduled = false;
  /** Runs after every durable commit; its callers are answered once it returns or its promise resolves; a throw or rejection fails them. */
  afterDurableCommit: (() => Promise<void> | undefined) | null = null;

  constructor(
    private readonly repo: VaultRepository,
    private readonly maxBatch = 512,
  ) {}

  submit<T>(work: () => T, durability: Durability): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const item: Pending<T> = { work, durability, resolve, reject };
      this.queue.push(item as unknown as AnyPending);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  get idle(): boolean {
    return this.queue.length === 0 && !this.scheduled;
  }

  /** Commit everything queued now (used on close). */
  flushNow(): void {
    this.flush();
  }

  private flush(): void {
    this.scheduled = false;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.commitBatch(batch);
    }
  }

  private commitBatch(batch: AnyPending[]): void {
    const durability: Durability = batch.some((p) => p.durability === 'full') ? 'full' : 'normal';
    const inline = this.inlineDurability(durability);
    // Optimistic first: the whole batch in one transaction without per-operation savepoints
    // (two statements per operation saved). If anything fails, the batch is rolled back and
    // each operation is retried alone, so one bad operation never takes the others with it.
    // Work functions only write from current state, so running them again after a rollback is safe.
    if (batch.length > 1) {
      let values: unknown[] | null = null;
      try {
        values = this.repo.transaction(() => batch.map((p) => p.work()), inline);
      } catch {
        values = null;
      }
      if (values !== null) {
        const done = values;
        if (durability !== 'full') batch.forEach((p, i) => p.resolve(done[i]));
        else this.runDurableHook(batch, () => batch.forEach((p, i) => p.resolve(done[i])));
        return;
      }
    }
    for (const p of batch) {
      let value: unknown;
      try {
        value = this.repo.transaction(p.work, this.inlineDurability(p.durability));
      } catch (error) {
        p.reject(isVaultError(error) ? error : new VaultError('AUDIT_FAILURE', 'The change could not be committed; nothing was released.'));
        continue;
      }
      if (p.durability !== 'full') p.resolve(value);
      else this.runDurableHook([p], () => p.resolve(value));
    }
  }

  /** `acknowledge` once the hook is done; every caller rejected when it fails: a durable commit is not acknowledged uncovered. */
  private runDurableHook(batch: readonly AnyPending[], acknowledge: () => void): void {
    const fail = (error: unknown) => {
      const e = isVaultError(error)
        ? error
        : new VaultError(
            'AUDIT_FAILURE',
            'The change was committed but its checkpoint record could not be written; it is not acknowledged.',
          );
      for (const p of batch) p.reject(e);
    };
    const hook = (): Promise<void> | undefined => this.afterDurableCommit?.();
    const flush = this.repo.flushCommitted?.bind(this.repo);
    let pending: Promise<void> | undefined;
    try {
      pending = flush ? flush().then(hook) : hook();
    } catch (error) {
      fail(error);
      return;
    }
    if (pending === undefined) acknowledge();
    else pending.then(acknowledge, fail);
  }

  /** The durability the transaction itself asks for: 'normal' when the flush happens after it, off the loop. */
  private inlineDurability(d: Durability): Durability {
    return d === 'full' && this.repo.flushCommitted ? 'normal' : d;
  }
}
