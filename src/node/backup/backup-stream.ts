// The body of a backup file, written from one snapshot of the vault (a worker thread's own
// read-only connection, inside one read transaction): header, vault header, table rows in
// sealed chunks, and the manifest the vault's audit key signs. Invariants: the file appears
// under its name complete or not at all (AtomicFile; a failure or a cancel removes the temporary
// sibling); `toSeq` is the log size in the same snapshot the rows come from; the signer never
// comes here — the manifest is signed by whoever holds it (`sign`, the session's loop).
import { DEFAULT_CHUNK_BYTES, encodeHeader, encodeRecord, sealChunk, type BackupHeader } from '../../core/backup/backup-format.js';
import { sectionOf, SectionDigester, type BackupManifest } from '../../core/backup/backup-manifest.js';
import { storedHashCount } from '../../core/audit/index.js';
import { cancelledError } from '../../core/long-work.js';
import { VaultError } from '../../core/errors.js';
import type { StoredAuditRecord } from '../../core/ports/vault-repository.port.js';
import { AtomicFile } from '../fs/atomic-write.js';
import { APPEND_ONLY, BACKUP_TABLES, type VaultCopySource } from '../store/vault-copy.js';

/** What the stream reads: the table copier and the log, all on the same connection. */
export interface BackupStreamSource {
  readonly copy: VaultCopySource;
  auditSize(): number;
  readAuditRecords(fromSeq: number, count: number): StoredAuditRecord[];
}

export interface BackupStreamInput {
  readonly key: Uint8Array;
  /** Everything but `toSeq`, which the snapshot decides. */
  readonly header: Omit<BackupHeader, 'toSeq'>;
  /** The parent's `toSeq` for an incremental backup, else null. */
  readonly parentToSeq: number | null;
  /** The vault header (it travels inside the encryption: restoring needs it to reopen the vault). */
  readonly vaultHeader: unknown;
  readonly out: string;
  readonly chunkBytes?: number;
  readonly onProgress: (p: { bytes: number; rows: number }) => void;
  /** Polled between chunks: true ends the backup with CANCELLED, leaving no file. */
  readonly cancelled: () => boolean;
  readonly sign: (manifest: BackupManifest) => Promise<string>;
}

const BACKUP_CACHE_KIB = 4096;

/**
 * Blobs as {"$b64": …} before encodeRecord sees them: JSON.stringify would otherwise expand
 * each Buffer (Buffer#toJSON) into an array of numbers — ~8 JS values per byte of a 1 MiB
 * memory — before the replacer turns it into base64. Same bytes on disk either way.
 */
function b64Blobs(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = Buffer.isBuffer(v) ? { $b64: v.toString('base64') } : v;
  return out;
}

/** Memories stored, tombstoned, purged or recalled since audit seq `from` (ids, and rowids of those still present). */
function memoriesTouchedSince(src: BackupStreamSource, from: number): { ids: string[]; rowids: number[] } {
  const ids = new Set<string>();
  for (let seq = from; ;) {
    const page = src.readAuditRecords(seq, 2000);
    for (const r of page) {
      const e = JSON.parse(r.json) as { memory?: { id?: unknown }; details?: { memoryIds?: unknown } };
      if (typeof e.memory?.id === 'string') ids.add(e.memory.id);
      if (Array.isArray(e.details?.memoryIds)) for (const id of e.details.memoryIds) if (typeof id === 'string') ids.add(id);
    }
    if (page.length < 2000) break;
    seq = (page[page.length - 1]?.seq ?? seq) + 1;
  }
  const rowids: number[] = [];
  for (const id of ids) {
    const rowid = src.copy.rowidOf(id);
    if (rowid !== undefined) rowids.push(rowid);
  }
  return { ids: [...ids], rowids };
}

export async function streamBackup(src: BackupStreamSource, input: BackupStreamInput): Promise<BackupHeader> {
  const toSeq = src.auditSize();
  const parent = input.parentToSeq;
  if (parent !== null && parent > toSeq) throw new VaultError('INVALID_INPUT', 'The parent backup is newer than this vault.');
  const header: BackupHeader = { ...input.header, toSeq };
  const { bytes, digest } = encodeHeader(header);
  // Streamed into a temporary sibling; a failure part-way leaves no partial file behind.
  const out = AtomicFile.create(input.out);
  const chunkBytes = input.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  let index = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let written = bytes.length;
  let rows = 0;
  const sections = new SectionDigester();
  const flush = (final: boolean) => {
    if (input.cancelled()) throw cancelledError('The backup');
    const sealed = sealChunk(input.key, digest, index++, final, Buffer.concat(pending));
    out.write(sealed);
    written += sealed.length;
    pending = [];
    pendingBytes = 0;
    input.onProgress({ bytes: written, rows });
  };
  const emit = (record: unknown, signed = true) => {
    const enc = encodeRecord(record);
    if (signed) sections.add(sectionOf(record), enc);
    pending.push(enc);
    pendingBytes += enc.length;
    rows++;
    if (pendingBytes >= chunkBytes) flush(false);
  };
  try {
    // A backup reads every page once: a large page cache would only hold ciphertext it never reads again.
    src.copy.withPageCache(BACKUP_CACHE_KIB, () => {
      out.write(bytes);
      emit({ t: 'vault-header', header: input.vaultHeader });
      const touched = parent !== null ? memoriesTouchedSince(src, parent) : null;
      if (touched) emit({ t: 'touched-memories', ids: touched.ids });
      for (const table of BACKUP_TABLES) {
        const seqColumn = APPEND_ONLY[table];
        let where: Parameters<VaultCopySource['rows']>[1];
        if (parent !== null && seqColumn)
          where = {
            column: seqColumn,
            after: table === 'checkpoints' ? parent : table === 'tree_hashes' ? storedHashCount(parent) - 1 : parent - 1,
          };
        else if (touched && (table === 'memories' || table === 'memories_fts')) where = { rowids: touched.rowids };
        for (const row of src.copy.rows(table, where)) emit({ t: 'row', table, row: b64Blobs(row) });
      }
    });
    const manifest: BackupManifest = {
      vaultId: header.vaultId,
      backupId: header.backupId,
      headerDigest: digest.toString('hex'),
      sections: sections.sections(),
    };
    const note = await input.sign(manifest);
    emit({ t: 'manifest', note }, false);
    flush(true);
    out.commit();
  } catch (e) {
    out.abort();
    throw e;
  }
  return header;
}
