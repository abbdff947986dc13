// Worker-thread entry for the owner's long reads of the vault (vault-worker-protocol.ts): full
// audit verification, on a read-only connection of its own inside one read transaction (one
// snapshot of the log while the session keeps committing). Invariants: the database key is
// zeroed here as soon as the connection is open; nothing here writes the vault; failures leave
// as a stable code with a fixed text (no row content, no key).
import { parentPort } from 'node:worker_threads';
import { parseVerifierKey } from '../../core/audit/index.js';
import { isVaultError } from '../../core/errors.js';
import { VERIFY_PROGRESS_EVERY, verifyAuditLog } from '../../core/transparency/audit-verifier.js';
import { AuditLeavesTable } from '../store/audit-leaves.table.js';
import { CheckpointsTable } from '../store/checkpoints.table.js';
import { openEncryptedReader, type SqliteDatabase } from '../store/encrypted-database.js';
import { storageDamageError } from '../store/storage-damage.js';
import { lowerThisThreadsPriority } from './thread-priority.js';
import { vaultWorkerStartSchema, type VaultJob, type VaultWorkerMessage } from './vault-worker-protocol.js';

lowerThisThreadsPriority();
const port = parentPort;
if (port === null) throw new Error('vault-worker runs only as a worker thread');
const send = (m: VaultWorkerMessage) => port.postMessage(m);

/** A read cache big enough for the hot interior of the tree, small beside the session's. */
const READER_CACHE_KIB = 16 * 1024;

function auditVerify(db: SqliteDatabase, job: Extract<VaultJob, { kind: 'audit-verify' }>): unknown {
  const verifier = parseVerifierKey(job.verifierKey);
  if (!verifier.ok) throw new Error('unparseable verifier key');
  const leaves = new AuditLeavesTable(db);
  const checkpoints = new CheckpointsTable(db);
  const total = leaves.auditSize();
  send({ t: 'progress', phase: 'verify', done: 0, total });
  const source = {
    listCheckpoints: () => checkpoints.listCheckpoints(),
    readAuditRecords: (from: number, count: number) => leaves.readAuditRecords(from, count),
    readStoredHashRange: (from: number, count: number) => leaves.readStoredHashRange(from, count),
  };
  const result = verifyAuditLog(source, verifier.value, job.origin, (done) => send({ t: 'progress', phase: 'verify', done, total }));
  if (result.events % VERIFY_PROGRESS_EVERY !== 0) send({ t: 'progress', phase: 'verify', done: result.events, total });
  return result;
}

function run(raw: unknown): void {
  const start = vaultWorkerStartSchema.safeParse(raw);
  if (!start.success) {
    send({ t: 'failed', code: 'INTERNAL', message: 'Malformed vault-worker request.' });
    return;
  }
  const { database, job } = start.data;
  let db: SqliteDatabase | undefined;
  try {
    try {
      db = openEncryptedReader(database.path, database.key, READER_CACHE_KIB);
    } finally {
      database.key.fill(0);
    }
    // One snapshot for the whole job: BEGIN here, the first read below pins it.
    db.exec('BEGIN');
    const result = auditVerify(db, job);
    db.exec('COMMIT');
    send({ t: 'done', result });
  } catch (raw) {
    const e = storageDamageError(raw, 'checking the audit log') ?? raw;
    send(
      isVaultError(e)
        ? { t: 'failed', code: e.code, message: e.message }
        : { t: 'failed', code: 'INTERNAL', message: 'The vault worker failed.' },
    );
  } finally {
    db?.close();
  }
}

port.once('message', run);
