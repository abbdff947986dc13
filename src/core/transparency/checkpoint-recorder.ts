// Keeps the external checkpoint record (checkpoint-record.port.ts) up to date.
// Invariants: after every durable commit and before its caller is answered, the record holds a
// signed tree head covering that commit; the record only moves forward, and only to a tree
// that is consistent with the head it replaces (RFC 9162 §2.1.4), so a session that opened a
// damaged log can never overwrite the evidence. Heads are signed here without being stored
// in the database: one Ed25519 signature and one small fsynced file per record write, no
// checkpoint row per level-3 store (the batched Checkpointer still stores its checkpoints).
// After a durable commit the record is written off the event loop (`cover`): the loop that
// serves agents only signs (~0.1 ms); the file's fsyncs run in the file system's threads. One
// write is in flight at a time; the commits that land meanwhile share the next one (group
// commit for the record), so a burst of level-3 work costs a handful of record writes.
import { VaultError, isVaultError } from '../errors.js';
import { checkTree, proveTree, signCheckpoint, toTreeSize, treeHash } from '../audit/index.js';
import type { VaultRepository } from '../ports/vault-repository.port.js';
import type { AuditKeys } from './audit-signer.js';
import type { CheckpointRecordStore } from './checkpoint-record.port.js';
import type { RecordedHead } from './checkpoint-record-check.js';
import { hashReaderOf } from './repo-hash-reader.js';

interface Waiter {
  readonly size: number;
  readonly resolve: () => void;
  readonly reject: (e: unknown) => void;
}

interface SignedHead {
  readonly head: RecordedHead;
  readonly record: { readonly size: number; readonly rootHash: string; readonly note: string };
}

export class CheckpointRecorder {
  /** Size of the newest record known durable. */
  private durableSize: number;
  private writing = false;
  private waiters: Waiter[] = [];

  constructor(
    private readonly repo: VaultRepository,
    private readonly keys: AuditKeys,
    readonly store: CheckpointRecordStore,
    /** The head the record holds now (checked against the database at unlock); null = no record yet. */
    private head: RecordedHead | null,
  ) {
    this.durableSize = head?.size ?? 0;
  }

  get recordedSize(): number {
    return this.head?.size ?? 0;
  }

  /** Sign the committed tree head and record it now, synchronously (unlock, shutdown), if the log grew. */
  publish(): void {
    const signed = this.sign(this.repo.auditSize());
    if (!signed) return;
    this.store.write(signed.record);
    this.head = signed.head;
    this.durableSize = Math.max(this.durableSize, signed.head.size);
    this.settle();
  }

  /**
   * After a durable commit, on the loop: the size committed now is what must be covered (a later
   * normal-durability commit is not on disk yet and is not signed for). Resolves once a record
   * covering it is durable; rejects (the commit is not acknowledged) when the record cannot be written.
   */
  cover(): Promise<void> {
    const size = this.repo.auditSize();
    if (size === 0 || size <= this.durableSize) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ size, resolve, reject });
      this.pump();
    });
  }

  /** Start the next record write, for the largest size waiting, unless one is in flight. */
  private pump(): void {
    if (this.writing) return;
    this.settle();
    const size = Math.max(0, ...this.waiters.map((w) => w.size));
    if (size === 0) return;
    let signed: SignedHead | null;
    try {
      signed = this.sign(size);
    } catch (e) {
      this.fail(size, e);
      return;
    }
    if (!signed) {
      this.durableSize = Math.max(this.durableSize, size);
      this.settle();
      return;
    }
    const { head, record } = signed;
    this.writing = true;
    this.store.writeAsync(record).then(
      () => {
        this.writing = false;
        if (head.size > (this.head?.size ?? 0)) this.head = head;
        this.durableSize = Math.max(this.durableSize, head.size);
        this.pump();
      },
      (e: unknown) => {
        this.writing = false;
        this.fail(size, e);
        this.pump();
      },
    );
  }

  /** Answer every waiter the durable record covers. */
  private settle(): void {
    const covered = this.waiters.filter((w) => w.size <= this.durableSize);
    if (covered.length === 0) return;
    this.waiters = this.waiters.filter((w) => w.size > this.durableSize);
    for (const w of covered) w.resolve();
  }

  private fail(size: number, e: unknown): void {
    const failed = this.waiters.filter((w) => w.size <= size);
    this.waiters = this.waiters.filter((w) => w.size > size);
    const error = isVaultError(e) ? e : new VaultError('AUDIT_FAILURE', 'The checkpoint record could not be written.');
    for (const w of failed) w.reject(error);
  }

  /** The signed head of the tree at `size` (≤ the stored log), checked consistent with the recorded head; null if not newer. */
  private sign(size: number): SignedHead | null {
    if (size === 0 || (this.head && size <= this.head.size)) return null;
    const reader = hashReaderOf(this.repo);
    const root = treeHash(size, reader);
    if (this.head && this.head.size > 0) {
      const proof = proveTree(size, this.head.size, reader);
      if (!checkTree(proof, size, root, this.head.size, this.head.root).ok) {
        throw new VaultError(
          'INTEGRITY_FAILURE',
          `The audit tree is no longer consistent with the checkpoint recorded in ${this.store.description}.`,
          {
            source: 'checkpoint-record',
            kind: 'forked',
            recordedSize: this.head.size,
            databaseSize: size,
          },
        );
      }
    }
    const note = signCheckpoint({ origin: this.keys.origin, size: toTreeSize(size), rootHash: root, extensions: [] }, this.keys.signer);
    return { head: { size, root }, record: { size, rootHash: Buffer.from(root).toString('base64'), note } };
  }
}
