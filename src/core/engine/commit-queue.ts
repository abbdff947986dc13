// Group commit. Concurrent operations enqueue their write work; one flush per event-loop turn
// runs them all in a single SQLite transaction (each in its own savepoint so one failure does
// not poison the others) and resolves each caller only after the transaction has committed.
// Invariant: a caller never sees its result — and so never plaintext — before its audit
// leaf is durable at the level it asked for.
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
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      this.repo.transaction(() => {
        for (const p of batch) {
          try {
            outcomes.push({ ok: true, value: this.repo.transaction(p.work, p.durability) });
          } catch (error) {
            // The storage engine aborted the whole transaction: nothing in this batch committed.
            if (!this.repo.inTransaction()) throw error;
            outcomes.push({ ok: false, error });
          }
        }
      }, durability);
    } catch (error) {
      const failure = isVaultError(error)
        ? error
        : new VaultError('AUDIT_FAILURE', 'The change could not be committed; nothing was released.');
      for (const p of batch) p.reject(failure);
      return;
    }
    batch.forEach((p, i) => {
      const o = outcomes[i];
      if (o === undefined) p.reject(new VaultError('INTERNAL', 'Lost track of a queued operation.'));
      else if (o.ok) p.resolve(o.value);
      else p.reject(o.error);
    });
  }
}
