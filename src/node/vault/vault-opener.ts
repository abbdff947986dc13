// Creating, unlocking and recovery-unlocking a vault on disk.
// Invariants: a wrong credential never modifies the header or the database (only the failed-
// unlock counter, and only while the owner has that lockdown rule on); a missing or damaged
// database is reported, never replaced by a new empty vault; an interrupted key rotation is
// finished or rolled back before anything else reads the vault; truncation, rollback and fork
// detection (and the `verify` hooks) run before anything is appended. This module runs the
// unlock-time checks it is given and knows none of the features behind them.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { newArgon2idParams, DEFAULT_ARGON2ID } from '../../core/crypto/passphrase-kdf.js';
import { keyFingerprint, randomKey, zeroize } from '../../core/crypto/keys.js';
import { VaultError } from '../../core/errors.js';
import { unwrapDatabaseKey, unwrapProfileKey, wrapDatabaseKey, wrapProfileKey } from '../../core/keys/profile-keys.js';
import { unwrapProfileKeyWithRecovery } from '../../core/keys/recovery-keys.js';
import type { OwnerChannel } from '../../core/model/requester.js';
import { createEncryptedDatabase, openEncryptedDatabase, type SqliteDatabase } from '../store/encrypted-database.js';
import { storageDamageError } from '../store/storage-damage.js';
import { resolvePendingRotation, type ResolvedRotation } from '../rotation/resume-rotation.js';
import { applyBadCredentialRule } from './bad-credential-rule.js';
import { FileCheckpointRecord } from './checkpoint-record.js';
import { isBadCredentialError, newTpmKeySource, recordBadCredential, wrappingKeyFor, type Credentials } from './credentials.js';
import { auditIntegrityFailure } from './integrity-failure.js';
import { buildSession } from './session-builder.js';
import type { InitOptions, RecoveryUnlockOptions, SessionOptions, UnlockOptions } from './session-options.js';
import { runUnlockHooks, type UnlockHook } from './unlock-hook.js';
import { readVaultHeader, writeVaultHeader, type KeySource, type ProfileRecord, type VaultHeader } from './vault-header.js';
import { acquireVaultLock, type VaultLock } from './vault-lock.js';
import { ensurePrivateDir, vaultPaths, type VaultPaths } from './vault-paths.js';
import type { VaultSession } from './vault-session.js';

async function keySourceFor(
  credentials: Credentials,
  opts: Pick<InitOptions, 'kdfCost' | 'tpm'>,
): Promise<{ source: KeySource; wrappingKey: Buffer }> {
  if (credentials.kind === 'tpm2') return newTpmKeySource(credentials.pin, opts.tpm);
  const source: KeySource =
    credentials.kind === 'passphrase'
      ? { kind: 'passphrase', kdf: await newArgon2idParams(opts.kdfCost ?? DEFAULT_ARGON2ID) }
      : { kind: 'keyfile', salt: randomBytes(16).toString('base64') };
  return { source, wrappingKey: await wrappingKeyFor(source, credentials) };
}

/** The header in `dir` and its first (current) profile; a header without one is damaged. */
function readCurrentProfile(dir: string): { paths: VaultPaths; header: VaultHeader; profile: ProfileRecord } {
  const paths = vaultPaths(dir);
  const header = readVaultHeader(paths.header);
  const profile = header.profiles[0];
  if (!profile) throw new VaultError('VAULT_CORRUPT', 'The vault header lists no profile.');
  return { paths, header, profile };
}

/** A new vault in `opts.dir` (refused where one exists), open. */
export async function createVault(opts: InitOptions): Promise<VaultSession> {
  const paths = vaultPaths(opts.dir);
  if (existsSync(paths.header) || existsSync(paths.database))
    throw new VaultError('VAULT_EXISTS', `A vault already exists in ${opts.dir}.`);
  if (opts.credentials.kind === 'passphrase' && opts.credentials.passphrase.length < 8) {
    throw new VaultError('INVALID_INPUT', 'Choose a passphrase of at least 8 characters.');
  }
  ensurePrivateDir(opts.dir);
  const lock = acquireVaultLock(opts.dir);
  try {
    const vaultId = randomUUID();
    const profileId = 'default';
    const { source, wrappingKey: wk } = await keySourceFor(opts.credentials, opts);
    const profileKey = randomKey();
    const databaseKey = randomKey();
    const now = new Date().toISOString();
    const profile: ProfileRecord = {
      id: profileId,
      source,
      wrappedProfileKey: wrapProfileKey(wk, profileKey, vaultId, profileId),
      wrappedDatabaseKey: wrapDatabaseKey(profileKey, databaseKey, vaultId),
      exportable: opts.exportable ?? true,
      createdAt: now,
    };
    zeroize(wk);
    const header: VaultHeader = {
      format: 'memory-vault',
      version: 1,
      vaultId,
      createdAt: now,
      database: { file: 'vault.db', cipher: 'chacha20' },
      profiles: [profile],
    };
    const db = createEncryptedDatabase(paths.database, databaseKey);
    zeroize(databaseKey);
    writeVaultHeader(paths.header, header, { exclusive: true });
    const session = buildSession({ paths, header, profile, profileKey, db, lock }, opts);
    session.profileKeyFingerprint = keyFingerprint(profileKey);
    // From the first event on, every durable commit is recorded in checkpoint.json too.
    session.engine.auditLog.attachRecord(new FileCheckpointRecord(paths.dir));
    await session.engine.recordEvent({
      kind: 'vault.init',
      actor: { type: 'owner', id: opts.channel ?? 'cli' },
      outcome: 'ok',
      details: {
        vaultId,
        profile: profileId,
        keySource: source.kind,
        profileKey: keyFingerprint(profileKey),
        exportable: profile.exportable,
        ...(source.kind === 'tpm2' ? { tpmPcrs: source.sealed.pcrs, tpmPinRequired: source.pinRequired } : {}),
      },
    });
    return session;
  } catch (e) {
    lock.release();
    throw e;
  }
}

/** Unlock with the owner's credentials, then run `hooks`. */
export async function openVault(opts: UnlockOptions, hooks: readonly UnlockHook[]): Promise<VaultSession> {
  const { paths, header, profile } = readCurrentProfile(opts.dir);
  const lock = acquireVaultLock(opts.dir);
  try {
    let profileKey: Buffer;
    let pendingKey: Buffer | null = null;
    let wk: Buffer | undefined;
    try {
      wk = await wrappingKeyFor(profile.source, opts.credentials, opts.tpm);
      profileKey = unwrapProfileKey(wk, profile.wrappedProfileKey, header.vaultId, profile.id);
      // A pending rotation's new key is wrapped under the same wrapping key.
      if (profile.rotation) pendingKey = unwrapProfileKey(wk, profile.rotation.wrappedProfileKey, header.vaultId, profile.id);
    } catch (e) {
      if (isBadCredentialError(e)) recordBadCredential(opts.dir);
      throw e;
    } finally {
      zeroize(wk);
    }
    return await openUnlocked({ paths, header, profile, unwrappedKey: profileKey, pendingKey, lock }, opts, hooks);
  } catch (e) {
    lock.release();
    throw e;
  }
}

/**
 * Unlock with a recovery key (rebuilt from escrow shares, or from a dead-man package) and set
 * new credentials, then run `hooks`. The slot is consumed: the people who held its shares now
 * know its key.
 */
export async function recoverVault(opts: RecoveryUnlockOptions, hooks: readonly UnlockHook[]): Promise<VaultSession> {
  const { paths, header, profile } = readCurrentProfile(opts.dir);
  const slot = profile.recovery?.find((r) => r.id === opts.slotId);
  if (!slot)
    throw new VaultError('NOT_FOUND', 'This vault has no such recovery slot (it was deleted, used, or dropped by a key rotation).');
  if (keyFingerprint(opts.recoveryKey) !== slot.recoveryKeyFingerprint) {
    throw new VaultError('BAD_CREDENTIALS', "The recovery key does not match this vault's recovery slot (wrong or too few shares?).");
  }
  if (opts.newCredentials.kind === 'passphrase' && opts.newCredentials.passphrase.length < 8) {
    throw new VaultError('INVALID_INPUT', 'Choose a passphrase of at least 8 characters.');
  }
  const lock = acquireVaultLock(opts.dir);
  try {
    const profileKey = unwrapProfileKeyWithRecovery(opts.recoveryKey, slot.recoveryWrappedProfileKey, header.vaultId, profile.id, slot.id);
    const { source, wrappingKey } = await keySourceFor(opts.newCredentials, opts);
    let newWrapped: string;
    try {
      newWrapped = wrapProfileKey(wrappingKey, profileKey, header.vaultId, profile.id);
    } finally {
      zeroize(wrappingKey);
    }
    // A pending rotation's key is wrapped under the lost credentials: it can only be rolled
    // back (openUnlocked does that first); then the header gets the new credentials.
    const rewriteHeader = (settled: VaultHeader): VaultHeader => {
      const [current, ...others] = settled.profiles;
      if (!current) throw new VaultError('VAULT_CORRUPT', 'The vault header lists no profile.');
      const replaced: ProfileRecord = {
        ...current,
        source,
        wrappedProfileKey: newWrapped,
        recovery: (current.recovery ?? []).filter((r) => r.id !== slot.id),
      };
      const next: VaultHeader = { ...settled, profiles: [replaced, ...others] };
      writeVaultHeader(paths.header, next, { exclusive: false });
      return next;
    };
    const session = await openUnlocked(
      { paths, header, profile, unwrappedKey: profileKey, pendingKey: null, lock, rewriteHeader },
      opts,
      hooks,
    );
    await session.engine.recordEvent({
      kind: 'escrow.recover',
      actor: { type: 'owner', id: opts.channel ?? 'cli' },
      outcome: 'ok',
      details: { slotId: slot.id, slotKind: slot.kind, recoveryKey: slot.recoveryKeyFingerprint, newKeySource: source.kind },
    });
    return session;
  } catch (e) {
    lock.release();
    throw e;
  }
}

interface Unlocked {
  readonly paths: VaultPaths;
  header: VaultHeader;
  profile: ProfileRecord;
  readonly unwrappedKey: Buffer;
  readonly pendingKey: Buffer | null;
  readonly lock: VaultLock;
  readonly rewriteHeader?: (settled: VaultHeader) => VaultHeader;
}

/**
 * Open the database under the unwrapped profile key (settling a pending rotation first), build
 * the session, run the unlock-time checks: the audit log and the `verify` hooks, then the
 * vault.unlock leaf, the bad-credential rule and the `ready` hooks.
 */
async function openUnlocked(
  u: Unlocked,
  opts: SessionOptions & { channel?: OwnerChannel },
  hooks: readonly UnlockHook[],
): Promise<VaultSession> {
  let { header, profile } = u;
  const { paths, lock } = u;
  let resolved: ResolvedRotation | null = null;
  let profileKey = u.unwrappedKey;
  let db: SqliteDatabase;
  if (profile.rotation) {
    resolved = resolvePendingRotation({ paths, header, profile, oldKey: u.unwrappedKey, newKey: u.pendingKey });
    header = resolved.header;
    profile = resolved.profile;
    profileKey = resolved.profileKey;
    db = resolved.db;
  } else {
    const databaseKey = unwrapDatabaseKey(profileKey, profile.wrappedDatabaseKey, header.vaultId);
    try {
      db = openEncryptedDatabase(paths.database, databaseKey);
    } finally {
      zeroize(databaseKey);
    }
  }
  if (u.rewriteHeader) {
    try {
      header = u.rewriteHeader(header);
    } catch (e) {
      db.close();
      throw e;
    }
    const first = header.profiles[0];
    if (!first) {
      db.close();
      throw new VaultError('VAULT_CORRUPT', 'The vault header lists no profile.');
    }
    profile = first;
  }
  const fingerprint = keyFingerprint(profileKey);
  const session = buildSession({ paths, header, profile, profileKey, db, lock }, opts);
  session.profileKeyFingerprint = fingerprint;
  const ctx = opts.onWarning ? { warn: opts.onWarning } : {};
  try {
    // Truncation, rollback and fork detection happen before anything is appended. The
    // external checkpoint record comes first: a log that lost its tail together with its own
    // checkpoints (a damaged or deleted WAL, an older vault.db) passes the in-database check.
    session.engine.auditLog.attachRecord(new FileCheckpointRecord(paths.dir));
    session.engine.auditLog.quickCheck();
    await runUnlockHooks('verify', hooks, session, ctx);
  } catch (e) {
    const named = storageDamageError(e) ?? e;
    await auditIntegrityFailure(session.engine, named);
    session.abandon();
    throw named;
  }
  try {
    const channel = opts.channel ?? 'cli';
    await session.engine.recordEvent({
      kind: 'vault.unlock',
      actor: { type: 'owner', id: channel },
      outcome: 'ok',
      details: { profile: profile.id },
    });
    if (resolved) await auditResolvedRotation(session, resolved);
    await applyBadCredentialRule({ dir: paths.dir, engine: session.engine, repo: session.repo }, true);
    await runUnlockHooks('ready', hooks, session, ctx);
  } catch (e) {
    // A damaged page met by the unlock-time work: named and audited; the session is not handed out.
    const named = await session.reportDamage(e);
    if (named !== e) {
      session.abandon();
      throw named;
    }
    throw e;
  }
  return session;
}

/** The rotation's own `key.rotation` event may already be in the log (crash after it): do not repeat it. */
async function auditResolvedRotation(session: VaultSession, r: ResolvedRotation): Promise<void> {
  const already = session.engine.auditLog
    .list({ kind: 'key.rotation', limit: 10_000 })
    .some((rec) => rec.json.includes(`"rotationId":"${r.rotation.id}"`));
  if (r.outcome === 'finished' && already) return;
  await session.engine.recordEvent({
    kind: 'key.rotation',
    actor: { type: 'system', id: 'unlock' },
    outcome: r.outcome === 'finished' ? 'ok' : 'error',
    ...(r.outcome === 'rolled-back' ? { reason: 'A key rotation was interrupted before the database changed; it was rolled back.' } : {}),
    details: { rotationId: r.rotation.id, from: r.rotation.fromKey, to: r.rotation.toKey, resumed: true, result: r.outcome },
  });
}
