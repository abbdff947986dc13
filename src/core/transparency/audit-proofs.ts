// Proofs for auditors: inclusion of an event in a signed checkpoint (as a C2SP tlog-proof),
// consistency between two stored checkpoints, and proof bundles for a selection of events.
import { VaultError } from '../errors.js';
import { buildProofBundle, formatTlogProof, proveRecord, proveTree, type Hash, type ProofBundle } from '../audit/index.js';
import type { AuditRecordFilter, StoredCheckpoint, VaultRepository } from '../ports/vault-repository.port.js';
import type { AuditKeys } from './audit-signer.js';
import { hashReaderOf } from './repo-hash-reader.js';

export interface EventProof {
  readonly index: number;
  readonly canonicalJson: string;
  readonly checkpoint: StoredCheckpoint;
  readonly inclusion: Hash[];
  /** C2SP tlog-proof v1 text (https://c2sp.org/tlog-proof). */
  readonly tlogProof: string;
}

export function proveEvent(
  repo: Pick<VaultRepository, 'readAuditRecords' | 'readStoredHashes'>,
  index: number,
  checkpoint: StoredCheckpoint,
): EventProof {
  if (!Number.isInteger(index) || index < 0 || index >= checkpoint.size) {
    throw new VaultError('INVALID_INPUT', `Event ${index} is not covered by the checkpoint of size ${checkpoint.size}.`);
  }
  const record = repo.readAuditRecords(index, 1)[0];
  if (!record || record.seq !== index) throw new VaultError('NOT_FOUND', `Audit event ${index} does not exist.`);
  const inclusion = proveRecord(checkpoint.size, index, hashReaderOf(repo));
  return {
    index,
    canonicalJson: record.json,
    checkpoint,
    inclusion,
    tlogProof: formatTlogProof({ index, inclusionProof: inclusion, signedCheckpoint: checkpoint.note }),
  };
}

export function proveConsistency(repo: VaultRepository, from: StoredCheckpoint, to: StoredCheckpoint): Hash[] {
  if (from.size > to.size) throw new VaultError('INVALID_INPUT', 'The older checkpoint must not be larger than the newer one.');
  return from.size === 0 || from.size === to.size ? [] : proveTree(to.size, from.size, hashReaderOf(repo));
}

/** What a bundle export reads: the matching events, an older checkpoint, the stored hashes. */
export type BundleSource = Pick<VaultRepository, 'queryAudit' | 'checkpointAt' | 'readStoredHashes'>;

export function exportBundle(
  repo: BundleSource,
  keys: Pick<AuditKeys, 'verifierKey'>,
  latest: Pick<StoredCheckpoint, 'size' | 'note'>,
  filter: AuditRecordFilter,
  fromSize?: number,
): ProofBundle {
  const events = repo.queryAudit(filter).filter((r) => r.seq < latest.size);
  let older: StoredCheckpoint | undefined;
  if (fromSize !== undefined) {
    older = repo.checkpointAt(fromSize);
    if (!older) throw new VaultError('NOT_FOUND', `No stored checkpoint has size ${fromSize}; see \`audit checkpoints\`.`);
  }
  return buildProofBundle({
    verifierKey: keys.verifierKey,
    signedCheckpoint: latest.note,
    ...(older ? { olderSignedCheckpoint: older.note } : {}),
    events: events.map((r) => ({ index: r.seq, canonicalJson: r.json })),
    reader: hashReaderOf(repo),
  });
}
