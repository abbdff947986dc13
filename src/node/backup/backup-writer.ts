// Writes a full or incremental backup of an unlocked vault as one encrypted file (see
// src/core/backup/backup-format.ts), streaming table pages through fixed-size chunks.
// The backup key is Argon2id(backup passphrase) or a random key sealed to an age recipient.
// The stream ends with a manifest signed by the vault's audit key (backup-manifest.ts) covering
// the header and a digest of every section, since encryption alone proves nothing about who wrote it.
import { randomUUID } from 'node:crypto';
import { writeSync } from 'node:fs';
import * as age from 'age-encryption';
import { DEFAULT_CHUNK_BYTES, encodeHeader, encodeRecord, sealChunk, type BackupHeader } from '../../core/backup/backup-format.js';
import { sectionOf, SectionDigester, signManifest } from '../../core/backup/backup-manifest.js';
import { newArgon2idParams } from '../../core/crypto/passphrase-kdf.js';
import { derivePassphraseKey } from '../crypto/argon2.service.js';
import { randomKey, zeroize } from '../../core/crypto/keys.js';
import { VaultError } from '../../core/errors.js';
import { storedHashCount } from '../../core/audit/index.js';
import type { VaultEngine } from '../../core/engine/vault-engine.js';
import type { FeatureTables } from '../store/feature-tables.js';
import type { VaultReads } from '../store/vault-reads.port.js';
import type { SessionPorts } from '../vault/session-ports.js';
import { APPEND_ONLY, BACKUP_TABLES, type VaultCopySource } from '../store/vault-copy.js';
import { AtomicFile } from '../fs/atomic-write.js';

export type BackupProtection =
  | { readonly kind: 'passphrase'; readonly passphrase: string; readonly kdfCost?: { opsLimit: number; memLimitBytes: number } }
  | { readonly kind: 'age'; readonly recipient: string };

export interface BackupOptions {
  readonly out: string;
  readonly protection: BackupProtection;
  /** For an incremental backup: the header of the backup it continues. */
  readonly parent?: BackupHeader;
  readonly onProgress?: (p: { bytes: number; rows: number }) => void;
  readonly chunkBytes?: number;
}

const LAST_BACKUP_STATE = 'backup.last';
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

async function backupKey(p: BackupProtection): Promise<{ key: Buffer; protection: BackupHeader['protection'] }> {
  if (p.kind === 'passphrase') {
    if (p.passphrase.length < 8) throw new VaultError('INVALID_INPUT', 'Choose a backup passphrase of at least 8 characters.');
    const kdf = await newArgon2idParams(p.kdfCost);
    return { key: await derivePassphraseKey(p.passphrase, kdf), protection: { kind: 'passphrase', kdf } };
  }
  if (!/^age1[0-9a-z]{58}$/.test(p.recipient)) throw new VaultError('INVALID_INPUT', 'An age recipient looks like age1… (62 characters).');
  const key = randomKey();
  const e = new age.Encrypter();
  e.addRecipient(p.recipient);
  const wrapped = await e.encrypt(key);
  return { key, protection: { kind: 'age', recipient: p.recipient, wrappedKey: Buffer.from(wrapped).toString('base64') } };
}

/**
 * What a backup needs from an open session: the header (it travels inside the backup), the
 * audited writer (the `backup.create` record), the log (a final checkpoint, the manifest signer),
 * the read view and the table copier.
 */
export interface BackupHost {
  readonly ports: Pick<SessionPorts, 'headers' | 'audited'>;
  readonly engine: Pick<VaultEngine, 'auditLog'>;
  readonly reads: Pick<VaultReads, 'auditSize' | 'readAuditRecords'>;
  readonly tables: Pick<FeatureTables, 'vaultCopy'>;
}

export async function writeBackup(session: BackupHost, opts: BackupOptions): Promise<BackupHeader> {
  if (!session.ports.headers.profile.exportable)
    throw new VaultError('FORBIDDEN', "This vault's profile is not exportable (its key is bound to this machine).");
  await session.engine.auditLog.checkpointNow();
  const source = session.tables.vaultCopy;
  const toSeq = session.reads.auditSize();
  const parent = opts.parent;
  if (parent && parent.vaultId !== session.ports.headers.header.vaultId)
    throw new VaultError('INVALID_INPUT', 'The parent backup belongs to another vault.');
  if (parent && parent.toSeq > toSeq) throw new VaultError('INVALID_INPUT', 'The parent backup is newer than this vault.');
  const { key, protection } = await backupKey(opts.protection);
  const header: BackupHeader = {
    format: 'memory-vault-backup',
    version: 2,
    backupId: randomUUID(),
    kind: parent ? 'incremental' : 'full',
    parentId: parent?.backupId ?? null,
    vaultId: session.ports.headers.header.vaultId,
    createdAt: new Date().toISOString(),
    fromSeq: parent?.toSeq ?? 0,
    toSeq,
    protection,
    excludedProfiles: [],
  };
  const { bytes, digest } = encodeHeader(header);
  // Streamed into a temporary sibling; a failure part-way leaves no partial file behind.
  const out = AtomicFile.create(opts.out);
  const fd = out.fd;
  const chunkBytes = opts.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  let index = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let written = bytes.length;
  let rows = 0;
  const sections = new SectionDigester();
  const flush = (final: boolean) => {
    const sealed = sealChunk(key, digest, index++, final, Buffer.concat(pending));
    writeSync(fd, sealed);
    written += sealed.length;
    pending = [];
    pendingBytes = 0;
    opts.onProgress?.({ bytes: written, rows });
  };
  const emit = (record: unknown, signed = true) => {
    const enc = encodeRecord(record);
    if (signed) sections.add(sectionOf(record), enc);
    pending.push(enc);
    pendingBytes += enc.length;
    rows++;
    if (pendingBytes >= chunkBytes) flush(false);
  };
  // A backup reads every page once: a large page cache would only hold ciphertext it never
  // reads again (up to 64 MiB of RSS). Shrink it for the duration, then put it back.
  try {
    source.withPageCache(BACKUP_CACHE_KIB, () => {
      writeSync(fd, bytes);
      // The vault header travels inside the encryption: restoring needs it to reopen the vault.
      // The vault header (wrapped profile key, KDF parameters) travels inside the encryption:
      // restoring needs it, and the vault passphrase, to reopen the vault.
      emit({ t: 'vault-header', header: session.ports.headers.header });
      const touched = parent ? memoriesTouchedSince(session, parent.toSeq) : null;
      if (touched) emit({ t: 'touched-memories', ids: touched.ids });
      for (const table of BACKUP_TABLES) {
        const seqColumn = APPEND_ONLY[table];
        let where: Parameters<VaultCopySource['rows']>[1];
        if (parent && seqColumn)
          where = {
            column: seqColumn,
            after: table === 'checkpoints' ? parent.toSeq : table === 'tree_hashes' ? storedHashCount(parent.toSeq) - 1 : parent.toSeq - 1,
          };
        else if (touched && (table === 'memories' || table === 'memories_fts')) where = { rowids: touched.rowids };
        for (const row of source.rows(table, where)) emit({ t: 'row', table, row: b64Blobs(row) });
      }
      const manifest = {
        vaultId: header.vaultId,
        backupId: header.backupId,
        headerDigest: digest.toString('hex'),
        sections: sections.sections(),
      };
      emit({ t: 'manifest', note: signManifest(manifest, session.engine.auditLog.keys.signer) }, false);
      flush(true);
    });
    out.commit();
  } catch (e) {
    out.abort();
    throw e;
  } finally {
    zeroize(key);
  }
  // The vault's record of its last backup and the `backup.create` leaf: one transaction. (The
  // file itself is written and renamed before: a crash in between leaves an unrecorded file
  // beside the vault, never a recorded backup that does not exist.)
  await session.ports.audited.runAudited(
    (tx) => tx.setState(LAST_BACKUP_STATE, JSON.stringify({ backupId: header.backupId, toSeq })),
    () => ({
      kind: 'backup.create',
      actor: { type: 'owner', id: 'cli' },
      outcome: 'ok',
      details: { backupId: header.backupId, kind: header.kind, fromSeq: header.fromSeq, toSeq, protection: protection.kind },
    }),
  );
  return header;
}

/** Memories stored, tombstoned, purged or recalled since audit seq `from` (ids, and rowids of those still present). */
function memoriesTouchedSince(session: BackupHost, from: number): { ids: string[]; rowids: number[] } {
  const ids = new Set<string>();
  for (let seq = from; ;) {
    const page = session.reads.readAuditRecords(seq, 2000);
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
    const rowid = session.tables.vaultCopy.rowidOf(id);
    if (rowid !== undefined) rowids.push(rowid);
  }
  return { ids: [...ids], rowids };
}
