// On every unlock: the last checkpoint the witness saw must be a prefix of the current log.
// A witness ahead of the log means the log was truncated or an old copy was restored
// (rollback); a different root at the same size means the log was rewritten (fork).
import { VaultError } from '../errors.js';
import { equalHashes, openCheckpoint, treeHash } from '../audit/index.js';
import type { VaultRepository } from '../ports/vault-repository.port.js';
import type { CheckpointWitness } from '../ports/witness.port.js';
import type { AuditKeys } from './audit-signer.js';
import { hashReaderOf } from './repo-hash-reader.js';

export type WitnessStatus =
  | { readonly state: 'none' }
  | { readonly state: 'empty'; readonly witness: string }
  | { readonly state: 'consistent'; readonly witness: string; readonly witnessSize: number; readonly localSize: number };

export function checkWitness(repo: VaultRepository, keys: AuditKeys, witness: CheckpointWitness | null): WitnessStatus {
  if (!witness) return { state: 'none' };
  const note = witness.latest(keys.origin);
  if (note === null) return { state: 'empty', witness: witness.description };
  const opened = openCheckpoint(note, keys.verifier, keys.origin);
  if (!opened.ok) {
    throw new VaultError('INTEGRITY_FAILURE', `The witness at ${witness.description} holds a checkpoint this vault's key did not sign.`);
  }
  const seen = opened.checkpoint;
  const local = repo.latestCheckpoint();
  const localSize = repo.auditSize();
  const details = {
    witness: witness.description,
    witnessSize: seen.size,
    witnessRoot: Buffer.from(seen.rootHash).toString('base64'),
    localSize,
    localCheckpoint: local?.note ?? null,
    witnessCheckpoint: note,
  };
  if (seen.size > localSize) {
    throw new VaultError(
      'INTEGRITY_FAILURE',
      `Rollback detected: the witness saw ${seen.size} audit events but this vault has only ${localSize}. An older copy of the vault was restored or its log was truncated.`,
      details,
    );
  }
  const root = treeHash(seen.size, hashReaderOf(repo));
  if (!equalHashes(root, seen.rootHash)) {
    throw new VaultError('INTEGRITY_FAILURE', `Fork detected: the first ${seen.size} audit events differ from what the witness saw.`, {
      ...details,
      localRootAtWitnessSize: Buffer.from(root).toString('base64'),
    });
  }
  return { state: 'consistent', witness: witness.description, witnessSize: seen.size, localSize };
}
