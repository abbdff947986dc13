// Invariant: the database's audit log is never shorter than the signed tree head recorded
// outside it, and its first `recordedSize` leaves still hash to that head (an RFC 9162 §2.1.4
// consistency proof from the recorded size to the current tree). Anything else is an
// INTEGRITY_FAILURE that names both sizes.
import { VaultError } from '../errors.js';
import { checkTree, equalHashes, openCheckpoint, proveTree, treeHash, type Hash } from '../audit/index.js';
import type { VaultRepository } from '../ports/vault-repository.port.js';
import type { AuditKeys } from './audit-signer.js';
import { hashReaderOf } from './repo-hash-reader.js';

export interface RecordedHead {
  readonly size: number;
  readonly root: Hash;
}

export type RecordCheck =
  | { readonly state: 'none'; readonly databaseSize: number }
  | { readonly state: 'consistent'; readonly recordedSize: number; readonly databaseSize: number; readonly head: RecordedHead };

const HINT = 'Run `memory-vault audit verify`; restore from a backup if the log cannot be repaired.';

function failure(message: string, details: Record<string, unknown>): VaultError {
  return new VaultError('INTEGRITY_FAILURE', `${message} ${HINT}`, { source: 'checkpoint-record', ...details });
}

/** Size of the database's log; a log that cannot be read at all is reported with the record's size. */
function databaseSizeOf(repo: VaultRepository, recordedSize: number, where: string): number {
  try {
    return repo.auditSize();
  } catch {
    throw failure(`The audit log cannot be read, but ${where} records ${recordedSize} signed events.`, {
      kind: 'unreadable',
      recordedSize,
      databaseSize: null,
      record: where,
    });
  }
}

export function checkRecordedHead(repo: VaultRepository, keys: AuditKeys, note: string | null, where: string): RecordCheck {
  if (note === null) return { state: 'none', databaseSize: repo.auditSize() };
  const opened = openCheckpoint(note, keys.verifier, keys.origin);
  if (!opened.ok) {
    throw failure(`The checkpoint recorded in ${where} was not signed by this vault's audit key.`, {
      kind: 'forged-checkpoint',
      recordedSize: null,
      databaseSize: repo.auditSize(),
      record: where,
    });
  }
  const recordedSize = opened.checkpoint.size;
  const databaseSize = databaseSizeOf(repo, recordedSize, where);
  const details = { recordedSize, databaseSize, record: where };
  if (databaseSize < recordedSize) {
    throw failure(
      `The audit log was shortened: ${where} records a signed log of ${recordedSize} events, but the database holds only ${databaseSize}. Acknowledged changes and their audit events are missing (a damaged or deleted WAL, or an older vault.db).`,
      { ...details, kind: 'truncated', index: databaseSize },
    );
  }
  const head: RecordedHead = { size: recordedSize, root: opened.checkpoint.rootHash };
  if (recordedSize === 0) return { state: 'consistent', recordedSize, databaseSize, head };
  let consistent: boolean;
  try {
    const reader = hashReaderOf(repo);
    if (databaseSize === recordedSize) {
      consistent = equalHashes(treeHash(recordedSize, reader), head.root);
    } else {
      const proof = proveTree(databaseSize, recordedSize, reader);
      consistent = checkTree(proof, databaseSize, treeHash(databaseSize, reader), recordedSize, head.root).ok;
    }
  } catch {
    consistent = false;
  }
  if (!consistent) {
    throw failure(
      `Fork detected: the first ${recordedSize} audit events no longer match the signed checkpoint recorded in ${where} (the database holds ${databaseSize}); the log was rewritten.`,
      { ...details, kind: 'forked' },
    );
  }
  return { state: 'consistent', recordedSize, databaseSize, head };
}
