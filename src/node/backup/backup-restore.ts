// Restore a full backup, optionally followed by its incrementals, into a vault directory.
// Invariants: every file of the chain is authenticated and must continue its parent; the new
// vault is built in a sibling temporary directory, opened with the owner's credentials and its
// audit log verified there; only then does it take the target's place (an existing vault is
// moved aside, never deleted). The restored database gets a fresh database key.
// Trust: every file must carry a manifest signed by the audit key of the vault being replaced (read
// from it) or the key the owner passes, and at least one checkpoint under that key (backup-trust.ts);
// the owner's credentials are applied only after every file has passed. Replacing a vault holds
// its lock from the first check to the move, so a running server makes the restore VAULT_BUSY and
// its live vault is never moved aside under it.
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { randomKey, zeroize } from '../../core/crypto/keys.js';
import { VaultError } from '../../core/errors.js';
import { unwrapProfileKey, wrapDatabaseKey } from '../../core/keys/profile-keys.js';
import { wrappingKeyFor, type Credentials } from '../vault/credentials.js';
import { vaultHeaderSchema, writeVaultHeader, type VaultHeader } from '../vault/vault-header.js';
import { ensurePrivateDir, vaultPaths } from '../vault/vault-paths.js';
import { unlockVault } from '../composition/vault-sessions.js';
import { WITNESS_DIR_STATE } from '../vault/witness-setting.js';
import type { BackupTrust } from '../../core/backup/backup-trust.js';
import type { OwnerChannel } from '../../core/model/requester.js';
import { acquireVaultLock, type VaultLock } from '../vault/vault-lock.js';
import { openBackup, readBackupHeader, type BackupUnlock } from './backup-reader.js';
import { KEY_HINT, readVaultAuditKey } from './vault-audit-key.js';
import { BACKUP_TABLES, StagingDatabase } from '../store/vault-copy.js';

const record = z.discriminatedUnion('t', [
  z.object({ t: z.literal('vault-header'), header: z.unknown() }),
  z.object({ t: z.literal('touched-memories'), ids: z.array(z.string()) }),
  z.object({ t: z.literal('row'), table: z.enum(BACKUP_TABLES), row: z.record(z.string(), z.unknown()) }),
]);

export interface RestoreOptions {
  readonly files: readonly string[];
  readonly target: string;
  readonly backupUnlock: BackupUnlock;
  /** The restored vault's own credentials (its passphrase or keyfile). */
  readonly credentials: Credentials;
  /** Move an existing vault aside instead of refusing. */
  readonly replace?: boolean;
  /** The audit verifier key the backups must be signed with; read from the vault being replaced when absent. */
  readonly verifierKey?: string;
  /** Accept version-1 (unsigned) backups; see docs (their non-audit tables are unauthenticated). */
  readonly acceptUnsigned?: boolean;
  readonly onProgress?: (p: { file: number; read: number; total: number }) => void;
  /** Which owner surface restored, for the audit leaf (default 'cli'). */
  readonly channel?: OwnerChannel;
}

export interface RestoreResult {
  readonly vaultId: string;
  readonly restoredFrom: readonly string[];
  readonly auditEvents: number;
  readonly memories: number;
  readonly previousVaultMovedTo: string | null;
  readonly witnessCleared: boolean;
}

function checkChain(files: readonly string[]): void {
  if (files.length === 0) throw new VaultError('INVALID_INPUT', 'Name the full backup, then its incrementals in order.');
  let prev = readBackupHeader(files[0] as string);
  if (prev.kind !== 'full')
    throw new VaultError('INVALID_INPUT', `The first file is an incremental backup; restore its parent ${prev.parentId ?? ''} first.`);
  for (const f of files.slice(1)) {
    const h = readBackupHeader(f);
    if (h.kind !== 'incremental' || h.parentId !== prev.backupId || h.fromSeq !== prev.toSeq || h.vaultId !== prev.vaultId) {
      throw new VaultError(
        'INVALID_INPUT',
        `${basename(f)} does not continue ${prev.backupId}: an incremental backup needs its parent, in order.`,
      );
    }
    prev = h;
  }
}

export async function restoreBackup(opts: RestoreOptions): Promise<RestoreResult> {
  checkChain(opts.files);
  const targetHasVault = existsSync(opts.target) && readdirSync(opts.target).length > 0;
  if (targetHasVault && !opts.replace) {
    throw new VaultError(
      'VAULT_EXISTS',
      `${opts.target} already holds files; restore into an empty directory, or pass --replace (the current vault is moved aside, not deleted).`,
    );
  }
  if (!targetHasVault && opts.verifierKey === undefined) {
    throw new VaultError('INVALID_INPUT', `${opts.target} holds no vault whose audit key could check the backup. ${KEY_HINT}`);
  }
  // Held until the current vault has been moved aside (released in the finally below).
  const lock = targetHasVault ? acquireVaultLock(opts.target) : null;
  try {
    const verifierKey = opts.verifierKey ?? (await readVaultAuditKey(opts.target, opts.credentials));
    return await restoreStaged(opts, { verifierKey, ...(opts.acceptUnsigned ? { acceptUnsigned: true } : {}) }, lock);
  } finally {
    lock?.release();
  }
}

async function restoreStaged(opts: RestoreOptions, trust: BackupTrust, lock: VaultLock | null): Promise<RestoreResult> {
  const targetHasVault = lock !== null;
  const staging = join(dirname(opts.target), `.${basename(opts.target)}.restoring-${randomUUID().slice(0, 8)}`);
  ensurePrivateDir(staging);
  // A holder object: TypeScript cannot follow assignments made inside the record loop.
  const st: { db: StagingDatabase | null; dbKey: Buffer | null; backed: VaultHeader | null } = { db: null, dbKey: null, backed: null };
  let header: VaultHeader | null = null;
  let witnessCleared = false;
  try {
    for (const [i, file] of opts.files.entries()) {
      const stream = await openBackup(file, opts.backupUnlock, trust);
      try {
        st.db?.begin();
        for (const raw of stream.records((read) => opts.onProgress?.({ file: i, read, total: stream.totalBytes }))) {
          const rec = record.safeParse(raw);
          if (!rec.success) throw new VaultError('INTEGRITY_FAILURE', 'The backup holds a record this version does not understand.');
          const r = rec.data;
          if (r.t === 'vault-header') {
            if (st.db) continue; // incrementals repeat the header; the full backup's one is used
            const parsed = vaultHeaderSchema.safeParse(r.header);
            if (!parsed.success) throw new VaultError('INTEGRITY_FAILURE', 'The vault header inside the backup is malformed.');
            if (!parsed.data.profiles[0]) throw new VaultError('INTEGRITY_FAILURE', 'The backup has no profile.');
            // The header is used (its profile key opened with the owner's credentials) only once every
            // file has passed its trust check; until then the rows go into a staging database under a
            // fresh random key that nothing else holds.
            st.backed = parsed.data;
            st.dbKey = randomKey();
            st.db = StagingDatabase.create(vaultPaths(staging).database, st.dbKey);
            st.db.begin();
          } else if (!st.db) {
            throw new VaultError('INTEGRITY_FAILURE', 'The backup does not start with its vault header.');
          } else if (r.t === 'touched-memories') {
            st.db.deleteMemories(r.ids);
          } else {
            if (r.table === 'vault_state' && r.row.key === WITNESS_DIR_STATE) {
              // A restore is a deliberate rollback: the old witness would (rightly) refuse it.
              witnessCleared = true;
              continue;
            }
            st.db.insertRow(r.table, r.row);
          }
        }
        if (!stream.trusted()) throw new VaultError('INTEGRITY_FAILURE', `${basename(file)} was not read to its signed end.`);
        st.db?.commit();
      } catch (e) {
        st.db?.rollbackIfOpen();
        throw e;
      } finally {
        stream.close();
      }
    }
    const db = st.db;
    const backed = st.backed;
    const profile = backed?.profiles[0];
    if (!db || !backed || !profile || !st.dbKey) throw new VaultError('INTEGRITY_FAILURE', 'The backup holds no vault.');
    {
      // Every file passed: the owner's credentials must open the backed-up profile key, which wraps the new database key.
      const wk = await wrappingKeyFor(profile.source, opts.credentials);
      const pk = unwrapProfileKey(wk, profile.wrappedProfileKey, backed.vaultId, profile.id);
      header = { ...backed, profiles: [{ ...profile, wrappedDatabaseKey: wrapDatabaseKey(pk, st.dbKey, backed.vaultId) }] };
      zeroize(wk, pk, st.dbKey);
      st.dbKey = null;
    }
    db.close();
    st.db = null;
    writeVaultHeader(vaultPaths(staging).header, header, { exclusive: true });

    // Verify in place before anything replaces the current vault.
    const session = await unlockVault({ dir: staging, credentials: opts.credentials });
    let auditEvents = 0;
    let memories = 0;
    try {
      const verified = await session.engine.auditLog.verify();
      if (!verified.ok)
        throw new VaultError(
          'INTEGRITY_FAILURE',
          `The restored audit log does not verify (${verified.damage?.kind ?? 'unknown'} at ${verified.damage?.index ?? '?'}).`,
        );
      // The restore's leaf is committed in the staged vault before it takes the target's place:
      // the rows above went into a database no engine had opened (its log can be appended only
      // once verified), and the move below is a rename, not a transaction. If this append fails
      // the staging directory is removed and the target is untouched; a crash after it leaves
      // the target untouched too. Whatever becomes the vault at the target carries its leaf.
      await session.engine.recordEvent({
        kind: 'backup.restore',
        actor: { type: 'owner', id: opts.channel ?? 'cli' },
        outcome: 'ok',
        details: { files: opts.files.length, backupIds: opts.files.map((f) => readBackupHeader(f).backupId), witnessCleared },
      });
      const st = session.engine.status();
      auditEvents = st.auditEvents;
      memories = Object.values(st.memories).reduce((a, b) => a + b, 0);
    } finally {
      session.close();
    }
    let movedTo: string | null = null;
    if (targetHasVault) {
      movedTo = `${opts.target}.pre-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      renameSync(opts.target, movedTo);
      // The lock file moved with the old vault: release it there, never a lock someone takes on the new one.
      lock.movedTo(movedTo);
    } else if (existsSync(opts.target)) {
      rmSync(opts.target, { recursive: true });
    }
    renameSync(staging, opts.target);
    return { vaultId: header.vaultId, restoredFrom: opts.files, auditEvents, memories, previousVaultMovedTo: movedTo, witnessCleared };
  } catch (e) {
    st.db?.abandon();
    zeroize(st.dbKey ?? undefined);
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
}
