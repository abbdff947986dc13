// Keeps the external checkpoint record (checkpoint-record.port.ts) up to date.
// Invariants: after every durable commit and before its caller is answered, the record holds a
// signed tree head covering that commit; the record only moves forward, and only to a tree
// that is consistent with the head it replaces (RFC 9162 §2.1.4), so a session that opened a
// damaged log can never overwrite the evidence. Heads are signed here without being stored
// in the database: one Ed25519 signature and one small fsynced file per durable batch, no
// checkpoint row per level-3 store (the batched Checkpointer still stores its checkpoints).
import { VaultError } from '../errors.js';
import { checkTree, proveTree, signCheckpoint, toTreeSize, treeHash } from '../audit/index.js';
import type { VaultRepository } from '../ports/vault-repository.port.js';
import type { AuditKeys } from './audit-signer.js';
import type { CheckpointRecordStore } from './checkpoint-record.port.js';
import type { RecordedHead } from './checkpoint-record-check.js';
import { hashReaderOf } from './repo-hash-reader.js';

export class CheckpointRecorder {
  constructor(
    private readonly repo: VaultRepository,
    private readonly keys: AuditKeys,
    readonly store: CheckpointRecordStore,
    /** The head the record holds now (checked against the database at unlock); null = no record yet. */
    private head: RecordedHead | null,
  ) {}

  get recordedSize(): number {
    return this.head?.size ?? 0;
  }

  /** Sign the committed tree head and record it, if the log grew since the last record. */
  publish(): void {
    const size = this.repo.auditSize();
    if (this.head && size <= this.head.size) return;
    if (size === 0) return;
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
    this.store.write({ size, rootHash: Buffer.from(root).toString('base64'), note });
    this.head = { size, root };
  }
}
