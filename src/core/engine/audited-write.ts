// The write handle `VaultEngine.runAudited` gives its work function.
// Invariant: it exists only inside one commit-queue transaction that also appends the work's
// audit leaf; it remembers whether it wrote, so a change can never commit without a leaf.
import type { VaultRepository } from '../ports/vault-repository.port.js';

export interface AuditedWrite {
  /** Reads see this transaction's own writes (and block concurrent writers: one queue). */
  getState(key: string): string | undefined;
  setState(key: string, value: string): void;
  /**
   * Record that `work` changed another table through its store module (escrows, hardware
   * keys): such changes run on the same connection inside this transaction.
   */
  noteWrite(): void;
  readonly wrote: boolean;
}

export class AuditedWriteHandle implements AuditedWrite {
  private written = false;

  constructor(private readonly repo: Pick<VaultRepository, 'getState' | 'setState'>) {}

  getState(key: string): string | undefined {
    return this.repo.getState(key);
  }

  setState(key: string, value: string): void {
    this.written = true;
    this.repo.setState(key, value);
  }

  noteWrite(): void {
    this.written = true;
  }

  get wrote(): boolean {
    return this.written;
  }
}
