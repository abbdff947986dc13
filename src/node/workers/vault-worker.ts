// Worker-thread entry for the owner's long reads of the vault (vault-worker-protocol.ts): full
// audit verification and backup writing, on a read-only connection of its own inside one read
// transaction (one snapshot of the vault while the session keeps committing). Invariants: the
// database key is zeroed here as soon as the connection is open, a backup's key once the file
// is written; nothing here writes the vault; a cancel (the shared flag) stops the job between
// pages or chunks, removing any temporary file; failures leave as a stable code with a fixed
// text (no row content, no key).
import { parentPort } from 'node:worker_threads';
import { parseVerifierKey } from '../../core/audit/index.js';
import type { BackupManifest } from '../../core/backup/backup-manifest.js';
import { isVaultError, VaultError } from '../../core/errors.js';
import { cancelledError } from '../../core/long-work.js';
import { exportBundle } from '../../core/transparency/audit-proofs.js';
import { VERIFY_PROGRESS_EVERY, verifyAuditLog } from '../../core/transparency/audit-verifier.js';
import { streamBackup } from '../backup/backup-stream.js';
import { AuditLeavesTable } from '../store/audit-leaves.table.js';
import { CheckpointsTable } from '../store/checkpoints.table.js';
import { inReadSnapshot, openEncryptedReader, type SqliteDatabase } from '../store/encrypted-database.js';
import { storageDamageError } from '../store/storage-damage.js';
import { vaultCopySource } from '../store/vault-copy.js';
import { lowerThisThreadsPriority } from './thread-priority.js';
import {
  signedNoteSchema,
  vaultWorkerAnswerSchema,
  vaultWorkerStartSchema,
  type VaultJob,
  type VaultWorkerMessage,
} from './vault-worker-protocol.js';

lowerThisThreadsPriority();
const port = parentPort;
if (port === null) throw new Error('vault-worker runs only as a worker thread');
const send = (m: VaultWorkerMessage) => port.postMessage(m);

const FAILED: Record<VaultJob['kind'], string> = {
  'audit-verify': 'The audit verification failed.',
  'backup-write': 'The backup failed.',
  'bundle-export': 'The bundle export failed.',
};
const DOING: Record<VaultJob['kind'], string> = {
  'audit-verify': 'checking the audit log',
  'backup-write': 'writing a backup',
  'bundle-export': 'exporting a proof bundle',
};

/** A read cache big enough for the hot interior of the tree, small beside the session's. */
const READER_CACHE_KIB = 16 * 1024;

function auditVerify(db: SqliteDatabase, job: Extract<VaultJob, { kind: 'audit-verify' }>, cancelled: () => boolean): unknown {
  const verifier = parseVerifierKey(job.verifierKey);
  if (!verifier.ok) throw new VaultError('INTERNAL', 'The log verifier key given to the worker does not parse.');
  const leaves = new AuditLeavesTable(db);
  const checkpoints = new CheckpointsTable(db);
  const total = leaves.auditSize();
  send({ t: 'progress', phase: 'verify', done: 0, total });
  const source = {
    listCheckpoints: () => checkpoints.listCheckpoints(),
    readAuditRecords: (from: number, count: number) => leaves.readAuditRecords(from, count),
    readStoredHashRange: (from: number, count: number) => leaves.readStoredHashRange(from, count),
  };
  const result = verifyAuditLog(source, verifier.value, job.origin, (done) => {
    if (cancelled()) throw cancelledError('The audit verification');
    send({ t: 'progress', phase: 'verify', done, total });
  });
  if (result.events % VERIFY_PROGRESS_EVERY !== 0) send({ t: 'progress', phase: 'verify', done: result.events, total });
  return result;
}

/** A proof bundle against the checkpoint the loop just signed: events, their inclusion proofs, and a consistency proof. */
function bundleExport(db: SqliteDatabase, job: Extract<VaultJob, { kind: 'bundle-export' }>): unknown {
  const leaves = new AuditLeavesTable(db);
  const checkpoints = new CheckpointsTable(db);
  send({ t: 'progress', phase: 'bundle', done: 0, total: 0 });
  const source = {
    queryAudit: (filter: Parameters<AuditLeavesTable['queryAudit']>[0]) => leaves.queryAudit(filter),
    checkpointAt: (size: number) => checkpoints.checkpointAt(size),
    readStoredHashes: (indexes: readonly number[]) => leaves.readHashes(indexes),
  };
  return exportBundle(source, { verifierKey: job.verifierKey }, job.latest, job.filter, job.fromSize);
}

/** Ask the loop (which holds the audit signer) to sign the manifest; its answer is the signed note. */
function askToSign(manifest: BackupManifest): Promise<string> {
  return new Promise((resolve, reject) => {
    port?.once('message', (raw: unknown) => {
      const answer = vaultWorkerAnswerSchema.safeParse(raw);
      const note = answer.success ? signedNoteSchema.safeParse(answer.data.answer) : null;
      if (note?.success) resolve(note.data);
      else reject(new VaultError('INTERNAL', 'The backup manifest came back unsigned.'));
    });
    send({ t: 'ask', question: manifest });
  });
}

async function backupWrite(
  db: SqliteDatabase,
  job: Extract<VaultJob, { kind: 'backup-write' }>,
  cancelled: () => boolean,
): Promise<unknown> {
  const leaves = new AuditLeavesTable(db);
  try {
    const header = await streamBackup(
      {
        copy: vaultCopySource(db),
        auditSize: () => leaves.auditSize(),
        readAuditRecords: (from, count) => leaves.readAuditRecords(from, count),
      },
      {
        key: job.key,
        header: job.header,
        parentToSeq: job.parentToSeq,
        vaultHeader: job.vaultHeader,
        out: job.out,
        ...(job.chunkBytes !== undefined ? { chunkBytes: job.chunkBytes } : {}),
        onProgress: (p) => send({ t: 'progress', phase: 'backup', done: p.rows, total: 0, bytes: p.bytes }),
        cancelled,
        sign: askToSign,
      },
    );
    return { header };
  } finally {
    job.key.fill(0);
  }
}

/** A backup file that cannot be written, named (the path is the owner's own input). */
function fileError(e: unknown): VaultError | null {
  const code = typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : '';
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return new VaultError('STORAGE_FULL', 'The disk is full: the backup file could not be written.');
  if (['ENOENT', 'EACCES', 'EPERM', 'EISDIR', 'ENOTDIR', 'EROFS', 'EEXIST'].includes(code))
    return new VaultError('INVALID_INPUT', `The backup file cannot be written there (${code}).`);
  return null;
}

async function run(raw: unknown): Promise<void> {
  const start = vaultWorkerStartSchema.safeParse(raw);
  if (!start.success) {
    send({ t: 'failed', code: 'INTERNAL', message: 'Malformed vault-worker request.' });
    return;
  }
  const { database, job } = start.data;
  const flag = new Int32Array(start.data.cancel);
  const cancelled = () => Atomics.load(flag, 0) !== 0;
  let db: SqliteDatabase | undefined;
  try {
    try {
      db = openEncryptedReader(database.path, database.key, READER_CACHE_KIB);
    } finally {
      database.key.fill(0);
    }
    // One snapshot for the whole job: the first read inside pins it.
    const reader = db;
    const result = await inReadSnapshot(reader, () =>
      job.kind === 'audit-verify'
        ? auditVerify(reader, job, cancelled)
        : job.kind === 'bundle-export'
          ? bundleExport(reader, job)
          : backupWrite(reader, job, cancelled),
    );
    send({ t: 'done', result });
  } catch (raw) {
    if (job.kind === 'backup-write') job.key.fill(0);
    const e = storageDamageError(raw, DOING[job.kind]) ?? fileError(raw) ?? raw;
    send(
      isVaultError(e) ? { t: 'failed', code: e.code, message: e.message } : { t: 'failed', code: 'INTERNAL', message: FAILED[job.kind] },
    );
  } finally {
    db?.close();
  }
}

port.once('message', (raw: unknown) => void run(raw));
