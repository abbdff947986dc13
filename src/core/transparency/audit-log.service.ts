// The vault's audit log as seen by shells: listing, checkpoints, proofs, bundles, verification
// and the witness. Appends happen through AuditWriter inside the engine's transactions.
import { VaultError } from '../errors.js';
import { equalHashes, openCheckpoint, treeHash, type ProofBundle } from '../audit/index.js';
import type { Clock } from '../ports/clock.port.js';
import type { AuditRecordFilter, StoredAuditRecord, StoredCheckpoint, VaultRepository } from '../ports/vault-repository.port.js';
import type { CheckpointWitness } from '../ports/witness.port.js';
import { loadOrCreateAuditKeys, logOrigin, type AuditKeys } from './audit-signer.js';
import { exportBundle, proveConsistency, proveEvent, type EventProof } from './audit-proofs.js';
import { verifyAuditLog, type AuditVerification } from './audit-verifier.js';
import { throwIfCancelled, type LongWorkOptions } from '../long-work.js';
import { Checkpointer, DEFAULT_CHECKPOINT_POLICY, type CheckpointPolicy } from './checkpointer.js';
import { hashReaderOf } from './repo-hash-reader.js';
import { checkWitness, type WitnessStatus } from './witness-check.js';
import type { CheckpointRecordStore } from './checkpoint-record.port.js';
import { checkRecordedHead, type RecordCheck } from './checkpoint-record-check.js';
import { CheckpointRecorder } from './checkpoint-recorder.js';

/**
 * Where the full check of `verify` runs. In process by default (tests, the in-memory
 * repository); a node session hands it to a worker thread with its own read-only connection
 * (node/workers/audit-verify-worker.ts), so the loop that serves agents stays free.
 */
export type FullAuditCheck = (opts: LongWorkOptions) => Promise<AuditVerification>;

/** Where a proof bundle is built (in process by default; a worker thread in a node session). */
export type BundleExport = (
  latest: StoredCheckpoint,
  filter: AuditRecordFilter,
  fromSize: number | undefined,
  opts: LongWorkOptions,
) => Promise<ProofBundle>;

export class AuditLogService {
  readonly keys: AuditKeys;
  readonly checkpointer: Checkpointer;
  fullCheck: FullAuditCheck = (opts) => {
    const total = this.repo.auditSize();
    return Promise.resolve(
      verifyAuditLog(this.repo, this.keys.verifier, this.keys.origin, (done) => opts.onProgress?.({ phase: 'verify', done, total })),
    );
  };
  bundleExport: BundleExport = (latest, filter, fromSize) => Promise.resolve(exportBundle(this.repo, this.keys, latest, filter, fromSize));

  constructor(
    private readonly repo: VaultRepository,
    vaultId: string,
    profileKey: Uint8Array,
    clock: Clock,
    submit: (job: () => StoredCheckpoint) => Promise<StoredCheckpoint>,
    policy: CheckpointPolicy = DEFAULT_CHECKPOINT_POLICY,
  ) {
    this.keys = repo.transaction(() => loadOrCreateAuditKeys(repo, logOrigin(vaultId), profileKey), 'full');
    this.checkpointer = new Checkpointer(repo, this.keys, clock, policy, submit);
  }

  get origin(): string {
    return this.keys.origin;
  }

  get verifierKey(): string {
    return this.keys.verifierKey;
  }

  size(): number {
    return this.repo.auditSize();
  }

  list(filter: AuditRecordFilter): StoredAuditRecord[] {
    return this.repo.queryAudit(filter);
  }

  show(index: number): StoredAuditRecord {
    const r = this.repo.readAuditRecords(index, 1)[0];
    if (!r || r.seq !== index) throw new VaultError('NOT_FOUND', `Audit event ${index} does not exist.`);
    return r;
  }

  checkpointNow(): Promise<StoredCheckpoint> {
    return this.checkpointer.checkpointNow();
  }

  checkpoints(): StoredCheckpoint[] {
    return this.repo.listCheckpoints();
  }

  async prove(index: number): Promise<EventProof> {
    let latest = this.repo.latestCheckpoint();
    if (!latest || latest.size <= index) latest = await this.checkpointNow();
    return proveEvent(this.repo, index, latest);
  }

  async consistency(fromSize: number): Promise<{ from: StoredCheckpoint; to: StoredCheckpoint; proof: string[] }> {
    const from = this.storedCheckpoint(fromSize);
    const to = await this.checkpointNow();
    return { from, to, proof: proveConsistency(this.repo, from, to).map((h) => Buffer.from(h).toString('base64')) };
  }

  /**
   * An event's inclusion proof and the consistency proof from an older stored checkpoint, both
   * against ONE newly signed checkpoint: an auditor holding the older checkpoint can check the
   * consistency proof only against the checkpoint this returns (two separate calls would sign two).
   */
  async proveFrom(
    index: number,
    fromSize: number,
  ): Promise<{ proof: EventProof; consistency: { from: StoredCheckpoint; to: StoredCheckpoint; proof: string[] } }> {
    const from = this.storedCheckpoint(fromSize);
    const to = await this.checkpointNow();
    const proof = proveEvent(this.repo, index, to);
    return { proof, consistency: { from, to, proof: proveConsistency(this.repo, from, to).map((h) => Buffer.from(h).toString('base64')) } };
  }

  /** A stored checkpoint by tree size, for an auditor who holds an older one. */
  storedCheckpoint(size: number): StoredCheckpoint {
    const c = this.repo.checkpointAt(size);
    if (!c) throw new VaultError('NOT_FOUND', `No stored checkpoint has size ${size}; see \`audit checkpoints\`.`);
    return c;
  }

  async exportBundle(filter: AuditRecordFilter, fromSize?: number, opts: LongWorkOptions = {}): Promise<ProofBundle> {
    throwIfCancelled(opts.signal, 'The bundle export');
    const latest = await this.checkpointNow();
    return this.bundleExport(latest, filter, fromSize, opts);
  }

  /**
   * Signs the current head first (when the log allows it), so every event is covered by a
   * checkpoint. A log shorter than (or inconsistent with) the external checkpoint record throws
   * INTEGRITY_FAILURE naming both sizes before anything is signed.
   */
  async verify(opts: LongWorkOptions = {}): Promise<AuditVerification> {
    throwIfCancelled(opts.signal, 'The audit verification');
    const recorder = this.checkpointer.recorder;
    if (recorder) checkRecordedHead(this.repo, this.keys, recorder.store.read(), recorder.store.description);
    try {
      await this.checkpointNow();
    } catch {
      // A damaged log cannot be signed; the full check below names the damage.
    }
    return this.fullCheck(opts);
  }

  /**
   * Check the log against the checkpoint recorded outside the database (unlock, before anything
   * is appended), then keep that record up to date. No record yet (a new vault, a restore, a
   * vault from before records existed): one is written for the current log at once.
   */
  attachRecord(store: CheckpointRecordStore): RecordCheck {
    const check = checkRecordedHead(this.repo, this.keys, store.read(), store.description);
    const recorder = new CheckpointRecorder(this.repo, this.keys, store, check.state === 'consistent' ? check.head : null);
    recorder.publish();
    this.checkpointer.recorder = recorder;
    return check;
  }

  /** The commit queue calls this after every durable commit; its callers are answered once it resolves. */
  afterDurableCommit(): Promise<void> | undefined {
    return this.checkpointer.recorder?.cover();
  }

  /** Recorded size and database size, for status. */
  recordStatus(): { readonly recordedSize: number; readonly databaseSize: number; readonly record: string } | null {
    const recorder = this.checkpointer.recorder;
    if (!recorder) return null;
    return { recordedSize: recorder.recordedSize, databaseSize: this.repo.auditSize(), record: recorder.store.description };
  }

  /**
   * O(log n) check run at unlock, before anything is appended: the newest signed checkpoint must
   * verify and must still be the root of the stored tree at its size (catches truncation).
   */
  quickCheck(): void {
    const latest = this.repo.latestCheckpoint();
    if (!latest || latest.size === 0) return;
    const size = this.repo.auditSize();
    const opened = openCheckpoint(latest.note, this.keys.verifier, this.keys.origin);
    if (!opened.ok || opened.checkpoint.size !== latest.size) {
      throw new VaultError('INTEGRITY_FAILURE', `The newest audit checkpoint (size ${latest.size}) does not verify.`, {
        index: latest.size,
        kind: 'forged-checkpoint',
      });
    }
    if (latest.size > size) {
      throw new VaultError(
        'INTEGRITY_FAILURE',
        `The audit log was truncated: a signed checkpoint covers ${latest.size} events but only ${size} remain.`,
        {
          index: size,
          kind: 'truncated',
        },
      );
    }
    let root: Uint8Array;
    try {
      root = treeHash(latest.size, hashReaderOf(this.repo));
    } catch {
      root = new Uint8Array(0);
    }
    if (!equalHashes(root, opened.checkpoint.rootHash)) {
      throw new VaultError(
        'INTEGRITY_FAILURE',
        `The stored audit tree no longer matches its signed checkpoint of size ${latest.size}; run \`audit verify\`.`,
        {
          index: latest.size,
          kind: 'tree-corrupt',
        },
      );
    }
  }

  /** Attach a witness and check the log against it (rollback / fork → INTEGRITY_FAILURE). */
  attachWitness(witness: CheckpointWitness | null): WitnessStatus {
    const status = checkWitness(this.repo, this.keys, witness);
    this.checkpointer.witness = witness;
    return status;
  }

  witnessStatus(): WitnessStatus {
    return checkWitness(this.repo, this.keys, this.checkpointer.witness);
  }
}
