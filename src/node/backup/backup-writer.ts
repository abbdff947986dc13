// Writes a full or incremental backup of an unlocked vault as one encrypted file (see
// src/core/backup/backup-format.ts), streaming table pages through fixed-size chunks.
// The backup key is Argon2id(backup passphrase) or a random key sealed to an age recipient.
// The stream ends with a manifest signed by the vault's audit key (backup-manifest.ts) covering
// the header and a digest of every section, since encryption alone proves nothing about who wrote it.
// The file is written by a worker thread from its own read-only snapshot (backup-stream.ts), so
// the loop that serves agents only derives nothing, signs the manifest, and records the backup.
import { randomUUID } from 'node:crypto';
import * as age from 'age-encryption';
import type { BackupHeader } from '../../core/backup/backup-format.js';
import { signManifest } from '../../core/backup/backup-manifest.js';
import { newArgon2idParams } from '../../core/crypto/passphrase-kdf.js';
import { derivePassphraseKey } from '../crypto/argon2.service.js';
import { randomKey, zeroize } from '../../core/crypto/keys.js';
import { VaultError } from '../../core/errors.js';
import { throwIfCancelled } from '../../core/long-work.js';
import type { VaultEngine } from '../../core/engine/vault-engine.js';
import type { OwnerChannel } from '../../core/model/requester.js';
import type { VaultReads } from '../store/vault-reads.port.js';
import type { SessionPorts } from '../vault/session-ports.js';
import { runVaultJob, transferableCopy, type WorkerDatabase } from '../workers/vault-worker-client.js';
import { backupDoneSchema, manifestQuestionSchema } from '../workers/vault-worker-protocol.js';

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
  /** Which owner surface made it, for the audit leaf (default 'cli'). */
  readonly channel?: OwnerChannel;
  /** Cancels the backup: it fails with CANCELLED and leaves no file (nothing is recorded). */
  readonly signal?: AbortSignal;
}

const LAST_BACKUP_STATE = 'backup.last';

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
 * the read view and the worker's way to the database.
 */
export interface BackupHost {
  readonly ports: Pick<SessionPorts, 'headers' | 'audited'>;
  readonly engine: Pick<VaultEngine, 'auditLog'>;
  readonly reads: Pick<VaultReads, 'auditSize'>;
  /** The worker's own read-only connection to the database. */
  readonly workerDatabase: WorkerDatabase;
}

export async function writeBackup(session: BackupHost, opts: BackupOptions): Promise<BackupHeader> {
  if (!session.ports.headers.profile.exportable)
    throw new VaultError('FORBIDDEN', "This vault's profile is not exportable (its key is bound to this machine).");
  await session.engine.auditLog.checkpointNow();
  const parent = opts.parent;
  if (parent && parent.vaultId !== session.ports.headers.header.vaultId)
    throw new VaultError('INVALID_INPUT', 'The parent backup belongs to another vault.');
  if (parent && parent.toSeq > session.reads.auditSize())
    throw new VaultError('INVALID_INPUT', 'The parent backup is newer than this vault.');
  throwIfCancelled(opts.signal, 'The backup');
  const { key, protection } = await backupKey(opts.protection);
  const signer = session.engine.auditLog.keys.signer;
  let header: BackupHeader;
  try {
    const done = await runVaultJob(
      session.workerDatabase,
      {
        kind: 'backup-write',
        key: transferableCopy(key),
        header: {
          format: 'memory-vault-backup',
          version: 2,
          backupId: randomUUID(),
          kind: parent ? 'incremental' : 'full',
          parentId: parent?.backupId ?? null,
          vaultId: session.ports.headers.header.vaultId,
          createdAt: new Date().toISOString(),
          fromSeq: parent?.toSeq ?? 0,
          protection,
          excludedProfiles: [],
        },
        parentToSeq: parent?.toSeq ?? null,
        vaultHeader: session.ports.headers.header,
        out: opts.out,
        ...(opts.chunkBytes !== undefined ? { chunkBytes: opts.chunkBytes } : {}),
      },
      backupDoneSchema,
      {
        ...(opts.signal ? { signal: opts.signal } : {}),
        onProgress: (p) => opts.onProgress?.({ bytes: p.bytes ?? 0, rows: p.done }),
        answer: (question) => signManifest(manifestQuestionSchema.parse(question), signer),
      },
      'The backup',
    );
    header = done.header;
  } finally {
    zeroize(key);
  }
  const toSeq = header.toSeq;
  // The vault's record of its last backup and the `backup.create` leaf: one transaction. (The
  // file itself is written and renamed before: a crash in between leaves an unrecorded file
  // beside the vault, never a recorded backup that does not exist.)
  await session.ports.audited.runAudited(
    (tx) => tx.setState(LAST_BACKUP_STATE, JSON.stringify({ backupId: header.backupId, toSeq })),
    () => ({
      kind: 'backup.create',
      actor: { type: 'owner', id: opts.channel ?? 'cli' },
      outcome: 'ok',
      details: { backupId: header.backupId, kind: header.kind, fromSeq: header.fromSeq, toSeq, protection: protection.kind },
    }),
  );
  return header;
}
