// Signs C2SP checkpoints of the audit log in batches (every N events or T ms, and on demand
// before export, verify and close). Invariants: every signed checkpoint is stored; each new one is
// checked consistent with the previous one (RFC 9162 §2.1.4) before it is signed; checkpoints are
// committed durably and only then mirrored to the witness, so a witness never runs ahead of disk.
import { VaultError } from '../errors.js';
import { checkTree, proveTree, signCheckpoint, toTreeSize, treeHash } from '../audit/index.js';
import type { Clock } from '../ports/clock.port.js';
import type { StoredCheckpoint, VaultRepository } from '../ports/vault-repository.port.js';
import type { CheckpointWitness } from '../ports/witness.port.js';
import type { AuditKeys } from './audit-signer.js';
import { hashReaderOf } from './repo-hash-reader.js';
import type { CheckpointRecorder } from './checkpoint-recorder.js';

export interface CheckpointPolicy {
  readonly everyEvents: number;
  readonly everyMs: number;
}

export const DEFAULT_CHECKPOINT_POLICY: CheckpointPolicy = { everyEvents: 1000, everyMs: 1000 };

export class Checkpointer {
  private timer: NodeJS.Timeout | undefined;
  private scheduledBySize = false;
  /** Size of the newest stored checkpoint, cached: reading it per append costs a query per event. */
  private signedSize: number | null = null;
  witness: CheckpointWitness | null = null;
  /** The external record of the newest signed head (checkpoint-recorder.ts), once attached. */
  recorder: CheckpointRecorder | null = null;

  constructor(
    private readonly repo: VaultRepository,
    private readonly keys: AuditKeys,
    private readonly clock: Clock,
    private readonly policy: CheckpointPolicy,
    /** Runs a durable write job in the engine's commit queue. */
    private readonly submit: (job: () => StoredCheckpoint) => Promise<StoredCheckpoint>,
  ) {}

  /** Called after every audit append (inside its transaction): schedule a signing job. */
  noteAppend(): void {
    this.signedSize ??= this.repo.latestCheckpoint()?.size ?? 0;
    const pending = this.repo.auditSize() - this.signedSize;
    if (pending >= this.policy.everyEvents && !this.scheduledBySize) {
      this.scheduledBySize = true;
      setImmediate(() => {
        this.scheduledBySize = false;
        this.checkpointNow().catch(() => undefined);
      });
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.checkpointNow().catch(() => undefined);
      }, this.policy.everyMs).unref();
    }
  }

  /** Sign the current tree head (if not signed yet), commit it durably, then mirror it. */
  async checkpointNow(): Promise<StoredCheckpoint> {
    const c = await this.submit(() => this.signCurrent());
    this.mirror(c);
    return c;
  }

  /** Synchronous variant for shutdown, when the commit queue has been drained. */
  checkpointSync(): StoredCheckpoint {
    const c = this.repo.transaction(() => this.signCurrent(), 'full');
    // Not through the commit queue, so its durable-commit hook does not run: record here.
    this.recorder?.publish();
    this.mirror(c);
    return c;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Must run inside a transaction. */
  signCurrent(): StoredCheckpoint {
    const size = this.repo.auditSize();
    const previous = this.repo.latestCheckpoint();
    if (previous && previous.size === size) return previous;
    if (previous && previous.size > size) {
      throw new VaultError('INTEGRITY_FAILURE', `The audit log (${size} events) is shorter than its own checkpoint (${previous.size}).`);
    }
    const reader = hashReaderOf(this.repo);
    const root = treeHash(size, reader);
    if (previous && previous.size > 0) {
      // RFC 9162 §2.1.4: the new tree must extend the previously signed one.
      const proof = proveTree(size, previous.size, reader);
      const check = checkTree(proof, size, root, previous.size, previous.root);
      if (!check.ok) throw new VaultError('INTEGRITY_FAILURE', `The audit tree is not consistent with checkpoint ${previous.size}.`);
    }
    const note = signCheckpoint({ origin: this.keys.origin, size: toTreeSize(size), rootHash: root, extensions: [] }, this.keys.signer);
    const stored: StoredCheckpoint = { size, root: Buffer.from(root), note, createdAt: this.clock.now() };
    this.repo.insertCheckpoint(stored);
    this.signedSize = size;
    return stored;
  }

  private mirror(c: StoredCheckpoint): void {
    if (!this.witness || c.size === 0) return;
    try {
      this.witness.record(this.keys.origin, c.size, c.note);
    } catch {
      // A missing USB stick must not stop the vault; the next checkpoint retries, and
      // `audit witness status` shows how far behind the witness is.
    }
  }
}
