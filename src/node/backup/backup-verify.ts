// `backup verify`: authenticate every chunk and check the audit log inside, without restoring.
// For a full backup the Merkle roots are recomputed from the events and compared with every
// signed checkpoint; an incremental (whose tree starts in its parent) gets signature and
// sequence checks. Signatures are checked against the trusted key the caller passes (the vault's
// own, or the owner's --key), never against a key the backup carries (backup-trust.ts).
import { z } from 'zod';
import { equalHashes, hashLeaf } from '../../core/audit/index.js';
import type { BackupTrust } from '../../core/backup/backup-trust.js';
import { VaultError } from '../../core/errors.js';
import { CompactRange } from '../../core/transparency/audit-verifier.js';
import { openBackup, type BackupUnlock } from './backup-reader.js';

const rowRecord = z.object({ t: z.literal('row'), table: z.string(), row: z.record(z.string(), z.unknown()) });

export interface BackupReport {
  readonly backupId: string;
  readonly kind: 'full' | 'incremental';
  readonly parentId: string | null;
  readonly rows: Readonly<Record<string, number>>;
  readonly auditEvents: number;
  readonly checkpoints: number;
  readonly auditCheck: 'roots-and-signatures' | 'signatures-and-sequence';
  /** false only for a v1 backup read with acceptUnsigned. */
  readonly signed: boolean;
  /** The audit key the backup was checked against. */
  readonly verifierKey: string;
}

export async function verifyBackup(
  path: string,
  unlock: BackupUnlock,
  trust: BackupTrust,
  onProgress?: (read: number, total: number) => void,
): Promise<BackupReport> {
  const stream = await openBackup(path, unlock, trust);
  const { header } = stream;
  const rows: Record<string, number> = {};
  const checkpoints: { size: number; root: Buffer; note: string }[] = [];
  const bySize = new Map<number, Buffer>();
  const range = new CompactRange();
  let next = header.fromSeq;
  let checkedRoots = 0;
  try {
    for (const rec of stream.records((r) => onProgress?.(r, stream.totalBytes))) {
      const parsed = rowRecord.safeParse(rec);
      if (!parsed.success) continue;
      const { table, row } = parsed.data;
      rows[table] = (rows[table] ?? 0) + 1;
      if (table === 'checkpoints' && typeof row.size === 'number' && Buffer.isBuffer(row.root) && typeof row.note === 'string') {
        checkpoints.push({ size: row.size, root: row.root, note: row.note });
        bySize.set(row.size, row.root);
      }
      if (table === 'audit_events') {
        if (row.seq !== next || typeof row.json !== 'string' || !Buffer.isBuffer(row.leaf_hash)) {
          throw new VaultError('INTEGRITY_FAILURE', `The audit log in the backup is broken at event ${next}.`);
        }
        const leaf = hashLeaf(Buffer.from(row.json, 'utf8'));
        if (!equalHashes(leaf, row.leaf_hash))
          throw new VaultError('INTEGRITY_FAILURE', `Audit event ${next} in the backup does not match its leaf hash.`);
        if (header.fromSeq === 0) {
          range.append(next, leaf);
          const expected = bySize.get(next + 1);
          if (expected) {
            const root = range.root();
            if (!root || !equalHashes(root, expected))
              throw new VaultError('INTEGRITY_FAILURE', `The audit events in the backup do not hash to checkpoint ${next + 1}.`);
            checkedRoots++;
          }
        }
        next++;
      }
    }
  } finally {
    stream.close();
  }
  // The stream's end ran the trust check: every checkpoint signed by the trusted key, the manifest matched.
  const trusted = stream.trusted();
  if (!trusted) throw new VaultError('INTEGRITY_FAILURE', 'The backup was not read to its end.');
  if (next !== header.toSeq)
    throw new VaultError('INTEGRITY_FAILURE', `The backup should hold audit events up to ${header.toSeq} but ends at ${next}.`);
  if (header.fromSeq === 0 && checkpoints.some((c) => c.size > 0) && checkedRoots === 0) {
    throw new VaultError('INTEGRITY_FAILURE', 'No checkpoint root in the backup could be checked.');
  }
  return {
    backupId: header.backupId,
    kind: header.kind,
    parentId: header.parentId,
    rows,
    auditEvents: next - header.fromSeq,
    checkpoints: checkpoints.length,
    auditCheck: header.fromSeq === 0 ? 'roots-and-signatures' : 'signatures-and-sequence',
    signed: trusted.signed,
    verifierKey: trusted.verifierKey,
  };
}
