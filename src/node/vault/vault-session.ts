// Creating and unlocking a vault on disk, and the session that owns the open database.
// Invariants: a wrong credential never modifies the header or the database (only the failed-
// unlock counter, and only while the owner has that lockdown rule on); a missing or damaged
// database is reported, never replaced by a new empty vault; an interrupted key rotation is
// finished or rolled back before anything else reads the vault; keys are wiped on close.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { newArgon2idParams, DEFAULT_ARGON2ID } from '../../core/crypto/passphrase-kdf.js';
import { keyFingerprint, randomKey, zeroize } from '../../core/crypto/keys.js';
import { VaultError } from '../../core/errors.js';
import { unwrapDatabaseKey, unwrapProfileKey, wrapDatabaseKey, wrapProfileKey } from '../../core/keys/profile-keys.js';
import type { OwnerChannel } from '../../core/model/requester.js';
import { VaultEngine, type OwnerProof, type VaultEngineOptions } from '../../core/engine/vault-engine.js';
import { createEncryptedDatabase, openEncryptedDatabase, type SqliteDatabase } from '../store/encrypted-database.js';
import { storageDamageError } from '../store/storage-damage.js';
import { SqliteVaultRepository } from '../store/sqlite-vault-repository.js';
import {
  isBadCredentialError,
  newTpmKeySource,
  readBadCredentialCount,
  recordBadCredential,
  resetBadCredentialCount,
  wrappingKeyFor,
  type Credentials,
  type TpmAccess,
} from './credentials.js';
import type { HardwareKeyPort } from '../../core/ports/hardware-key.port.js';
import { systemClock, type Clock } from '../../core/ports/clock.port.js';
import { readLockdownRules } from '../../core/engine/lockdown.js';
import { unwrapProfileKeyWithRecovery } from '../../core/keys/recovery-keys.js';
import { resolvePendingRotation, type ResolvedRotation } from '../rotation/resume-rotation.js';
import { checkDeadmanSwitch, startDeadmanTimer } from '../deadman/deadman-runner.js';
import { checkInDeadman } from '../deadman/deadman-service.js';
import { HardwareKeyStore } from '../hardware/hardware-key-store.js';
import { VaultHardwareKey, type HardwareKeyBindingOptions } from '../hardware/vault-hardware-key.js';
import { tpmPresence } from '../hardware/platform-tpm.js';
import { readVaultHeader, writeVaultHeader, type KeySource, type ProfileRecord, type VaultHeader } from './vault-header.js';
import { acquireVaultLock, type VaultLock } from './vault-lock.js';
import { DirectoryWitness } from '../witness/directory-witness.js';
import { FileCheckpointRecord } from './checkpoint-record.js';

export const WITNESS_DIR_STATE = 'witness.dir';
import { ensurePrivateDir, vaultPaths, type VaultPaths } from './vault-paths.js';

export type SessionOptions = Omit<VaultEngineOptions, 'repo' | 'vaultId' | 'profileId' | 'profileKey' | 'platformTpm'> & HardwareSessionOptions;

export interface HardwareSessionOptions {
  /** How to reach the TPM (default: the tools' TCTI); at init with TPM credentials, the PCRs. */
  readonly tpm?: TpmAccess;
  /** Bind the vault's enrolled FIDO2 keys as the level-5 gate, over this HID transport. */
  readonly hardwareKey?: HardwareKeyBindingOptions;
  /** Plain-words notices, e.g. a level-4 memory stored without a TPM. */
  readonly onWarning?: (message: string) => void;
}

export interface InitOptions extends SessionOptions {
  readonly dir: string;
  readonly credentials: Credentials;
  /** Argon2id cost for passphrase profiles (default 256 MiB, 3 passes). */
  readonly kdfCost?: { opsLimit: number; memLimitBytes: number };
  readonly channel?: OwnerChannel;
}

export interface UnlockOptions extends SessionOptions {
  readonly dir: string;
  readonly credentials: Credentials;
  readonly channel?: OwnerChannel;
}

export class VaultSession {
  private closed = false;
  /** Expired level-0 memories removed by the purge that runs on every unlock. */
  purgedAtUnlock = 0;
  /** keyFingerprint of the profile key this session was opened with (non-secret). */
  profileKeyFingerprint = '';
  private readonly closeHooks: (() => void)[] = [];
  /** The engine's clock (tests pass a fake one); node-side services use it for deadlines. */
  clock: Clock = systemClock;
  private hardwarePort: HardwareKeyPort | null = null;
  constructor(
    readonly paths: VaultPaths,
    private currentHeader: VaultHeader,
    private currentProfile: ProfileRecord,
    readonly engine: VaultEngine,
    readonly repo: SqliteVaultRepository,
    private readonly db: SqliteDatabase,
    private readonly lock: VaultLock,
    private readonly channel: OwnerChannel,
    private readonly tpm: TpmAccess = {},
  ) {}

  private keyStore: HardwareKeyStore | undefined;

  get header(): VaultHeader {
    return this.currentHeader;
  }

  get profile(): ProfileRecord {
    return this.currentProfile;
  }

  /** Rewrite vault.json (atomically) from the current header; used by escrow and recovery. */
  updateHeader(change: (header: VaultHeader, profile: ProfileRecord) => ProfileRecord): void {
    const profile = change(this.currentHeader, this.currentProfile);
    const next: VaultHeader = { ...this.currentHeader, profiles: [profile, ...this.currentHeader.profiles.slice(1)] };
    writeVaultHeader(this.paths.header, next, { exclusive: false });
    this.currentHeader = next;
    this.currentProfile = profile;
  }

  /** The level-5 token port (bound FIDO2 keys, or one given as a gate), if any. */
  get hardwareKeyPort(): HardwareKeyPort | null {
    return this.hardwarePort;
  }

  /** @internal set when the session is built from gates. */
  useHardwarePort(port: HardwareKeyPort | null): void {
    this.hardwarePort = port;
  }

  /** Run `fn` when the session closes (timers of node-side services). */
  onClose(fn: () => void): void {
    this.closeHooks.push(fn);
  }

  /** The enrolled hardware keys (table hardware_keys). */
  get hardwareKeys(): HardwareKeyStore {
    this.keyStore ??= new HardwareKeyStore(this.database);
    return this.keyStore;
  }

  /** Register the enrolled, non-revoked FIDO2 keys as the engine's level-5 gate. */
  bindHardwareKey(options: HardwareKeyBindingOptions): VaultHardwareKey {
    const hardwareKey = new VaultHardwareKey(this.hardwareKeys, (event) => this.engine.recordEvent(event), options);
    this.engine.setGates({ hardwareKey });
    this.hardwarePort = hardwareKey;
    return hardwareKey;
  }

  /** The open encrypted database, for node-side adapters that keep their own tables (agents, hardware keys). */
  get database(): SqliteDatabase {
    return this.db;
  }

  /** The owner unlocked this session with valid credentials just now. */
  ownerProof(): OwnerProof {
    return { __ownerProof: true, channel: this.channel };
  }

  /** Re-check the owner's credentials (lifting lockdown, revealing level ≥ 3) without re-opening. */
  async verifyOwner(credentials: Credentials, channel: OwnerChannel = this.channel): Promise<OwnerProof> {
    const keys = await this.openKeys(credentials);
    zeroize(keys.wrappingKey, keys.profileKey);
    return { __ownerProof: true, channel };
  }

  /**
   * The wrapping key and profile key, from the owner's credentials presented again (key
   * rotation, escrow, the dead-man recovery key). The caller zeroes both. A wrong credential
   * counts towards the "repeated bad credentials" lockdown rule, which trips at once here.
   */
  async openKeys(credentials: Credentials): Promise<{ wrappingKey: Buffer; profileKey: Buffer }> {
    let wk: Buffer | undefined;
    try {
      wk = await wrappingKeyFor(this.profile.source, credentials, this.tpm);
      return { wrappingKey: wk, profileKey: unwrapProfileKey(wk, this.profile.wrappedProfileKey, this.header.vaultId, this.profile.id) };
    } catch (e) {
      zeroize(wk);
      if (isBadCredentialError(e)) {
        recordBadCredential(this.paths.dir);
        await applyBadCredentialRule(this, false);
      }
      throw e;
    }
  }

  /** A login on a running server's owner socket did not finish: counts like a wrong credential. */
  async recordFailedOwnerLogin(): Promise<void> {
    recordBadCredential(this.paths.dir);
    await applyBadCredentialRule(this, false);
  }

  /** Dead-man switch check-in (desktop and CLI): the owner is alive; restarts the interval. */
  async deadmanCheckIn(): Promise<{ deadline: number }> {
    return checkInDeadman(this);
  }

  /** Configure (or clear) the directory witness; checks the log against it first. */
  setWitnessDir(dir: string | null): void {
    const witness = dir === null ? null : new DirectoryWitness(dir);
    this.engine.auditLog.attachWitness(witness);
    this.repo.transaction(() => (dir === null ? this.repo.setState(WITNESS_DIR_STATE, '') : this.repo.setState(WITNESS_DIR_STATE, dir)), 'full');
    if (witness) this.engine.auditLog.checkpointer.checkpointSync();
  }

  /**
   * A failure from inside an open session, named: a damaged database page becomes VAULT_CORRUPT
   * (audited as integrity.failure, with lockdown, where the log still takes appends). Any other
   * error is returned unchanged.
   */
  async reportDamage(e: unknown): Promise<unknown> {
    const named = storageDamageError(e);
    if (!named) return e;
    await auditIntegrityFailure(this, named);
    return named;
  }

  /** Close without signing anything (the vault failed an integrity check at unlock). */
  abandon(): void {
    if (this.closed) return;
    this.closed = true;
    for (const hook of this.closeHooks.splice(0)) hook();
    try {
      this.db.close();
    } finally {
      this.lock.release();
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const hook of this.closeHooks.splice(0)) hook();
    try {
      this.engine.close();
      this.db.pragma('wal_checkpoint(TRUNCATE)');
      this.db.close();
    } finally {
      this.lock.release();
    }
  }
}

async function keySourceFor(credentials: Credentials, opts: InitOptions): Promise<{ source: KeySource; wrappingKey: Buffer }> {
  if (credentials.kind === 'tpm2') return newTpmKeySource(credentials.pin, opts.tpm);
  const source: KeySource =
    credentials.kind === 'passphrase'
      ? { kind: 'passphrase', kdf: await newArgon2idParams(opts.kdfCost ?? DEFAULT_ARGON2ID) }
      : { kind: 'keyfile', salt: randomBytes(16).toString('base64') };
  return { source, wrappingKey: await wrappingKeyFor(source, credentials) };
}

export async function initVault(opts: InitOptions): Promise<VaultSession> {
  const paths = vaultPaths(opts.dir);
  if (existsSync(paths.header) || existsSync(paths.database)) throw new VaultError('VAULT_EXISTS', `A vault already exists in ${opts.dir}.`);
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
      exportable: true,
      createdAt: now,
    };
    zeroize(wk);
    const header: VaultHeader = { format: 'memory-vault', version: 1, vaultId, createdAt: now, database: { file: 'vault.db', cipher: 'chacha20' }, profiles: [profile] };
    const db = createEncryptedDatabase(paths.database, databaseKey);
    zeroize(databaseKey);
    writeVaultHeader(paths.header, header, { exclusive: true });
    const session = buildSession(paths, header, profile, profileKey, db, lock, opts);
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
        ...(source.kind === 'tpm2' ? { tpmPcrs: source.sealed.pcrs, tpmPinRequired: source.pinRequired } : {}),
      },
    });
    return session;
  } catch (e) {
    lock.release();
    throw e;
  }
}

export async function unlockVault(opts: UnlockOptions): Promise<VaultSession> {
  const paths = vaultPaths(opts.dir);
  const header = readVaultHeader(paths.header);
  const profile = header.profiles[0];
  if (!profile) throw new VaultError('VAULT_CORRUPT', 'The vault header lists no profile.');
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
    return await openUnlocked(paths, header, profile, profileKey, pendingKey, lock, opts);
  } catch (e) {
    lock.release();
    throw e;
  }
}

export interface RecoveryUnlockOptions extends SessionOptions {
  readonly dir: string;
  /** The header recovery slot (an escrow id, or the slot named in a dead-man package). */
  readonly slotId: string;
  readonly recoveryKey: Uint8Array;
  /** The owner's new credentials: the profile key is rewrapped under them. */
  readonly newCredentials: Credentials;
  readonly kdfCost?: { opsLimit: number; memLimitBytes: number };
  readonly channel?: OwnerChannel;
}

/**
 * Unlock with a recovery key (rebuilt from escrow shares, or from a dead-man package) and set
 * new credentials. The slot is consumed: the people who held its shares now know its key.
 */
export async function unlockWithRecoveryKey(opts: RecoveryUnlockOptions): Promise<VaultSession> {
  const paths = vaultPaths(opts.dir);
  const header = readVaultHeader(paths.header);
  const profile = header.profiles[0];
  if (!profile) throw new VaultError('VAULT_CORRUPT', 'The vault header lists no profile.');
  const slot = profile.recovery?.find((r) => r.id === opts.slotId);
  if (!slot) throw new VaultError('NOT_FOUND', 'This vault has no such recovery slot (it was deleted, used, or dropped by a key rotation).');
  if (keyFingerprint(opts.recoveryKey) !== slot.recoveryKeyFingerprint) {
    throw new VaultError('BAD_CREDENTIALS', 'The recovery key does not match this vault\'s recovery slot (wrong or too few shares?).');
  }
  if (opts.newCredentials.kind === 'passphrase' && opts.newCredentials.passphrase.length < 8) {
    throw new VaultError('INVALID_INPUT', 'Choose a passphrase of at least 8 characters.');
  }
  const lock = acquireVaultLock(opts.dir);
  try {
    const profileKey = unwrapProfileKeyWithRecovery(opts.recoveryKey, slot.recoveryWrappedProfileKey, header.vaultId, profile.id, slot.id);
    const { source, wrappingKey } = await keySourceFor(opts.newCredentials, { ...opts, credentials: opts.newCredentials });
    let newWrapped: string;
    try {
      newWrapped = wrapProfileKey(wrappingKey, profileKey, header.vaultId, profile.id);
    } finally {
      zeroize(wrappingKey);
    }
    // A pending rotation's key is wrapped under the lost credentials: it can only be rolled
    // back (openUnlocked does that first); then the header gets the new credentials.
    const session = await openUnlocked(paths, header, profile, profileKey, null, lock, opts, (settled) => {
      const [current, ...others] = settled.profiles;
      if (!current) throw new VaultError('VAULT_CORRUPT', 'The vault header lists no profile.');
      const replaced: ProfileRecord = { ...current, source, wrappedProfileKey: newWrapped, recovery: (current.recovery ?? []).filter((r) => r.id !== slot.id) };
      const next: VaultHeader = { ...settled, profiles: [replaced, ...others] };
      writeVaultHeader(paths.header, next, { exclusive: false });
      return next;
    });
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

/**
 * Open the database under the unwrapped profile key (settling a pending rotation first), build
 * the session, run the unlock-time checks (audit log, lockdown rules, dead-man switch).
 */
async function openUnlocked(
  paths: VaultPaths,
  header: VaultHeader,
  profile: ProfileRecord,
  unwrappedKey: Buffer,
  pendingKey: Buffer | null,
  lock: VaultLock,
  opts: SessionOptions & { channel?: OwnerChannel },
  rewriteHeader?: (settled: VaultHeader) => VaultHeader,
): Promise<VaultSession> {
  let resolved: ResolvedRotation | null = null;
  let profileKey = unwrappedKey;
  let db: SqliteDatabase;
  if (profile.rotation) {
    resolved = resolvePendingRotation({ paths, header, profile, oldKey: unwrappedKey, newKey: pendingKey });
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
  if (rewriteHeader) {
    try {
      header = rewriteHeader(header);
    } catch (e) {
      db.close();
      throw e;
    }
    profile = header.profiles[0] as ProfileRecord;
  }
  const fingerprint = keyFingerprint(profileKey);
  const session = buildSession(paths, header, profile, profileKey, db, lock, opts);
  session.profileKeyFingerprint = fingerprint;
  try {
    // Truncation, rollback and fork detection happen before anything is appended. The
    // external checkpoint record comes first: a log that lost its tail together with its own
    // checkpoints (a damaged or deleted WAL, an older vault.db) passes the in-database check.
    session.engine.auditLog.attachRecord(new FileCheckpointRecord(paths.dir));
    session.engine.auditLog.quickCheck();
    const witnessDir = session.repo.getState(WITNESS_DIR_STATE);
    if (witnessDir) session.engine.auditLog.attachWitness(new DirectoryWitness(witnessDir));
  } catch (e) {
    const named = storageDamageError(e) ?? e;
    await auditIntegrityFailure(session, named);
    session.abandon();
    throw named;
  }
  try {
    const channel = opts.channel ?? 'cli';
    await session.engine.recordEvent({ kind: 'vault.unlock', actor: { type: 'owner', id: channel }, outcome: 'ok', details: { profile: profile.id } });
    if (resolved) await auditResolvedRotation(session, resolved);
    await applyBadCredentialRule(session, true);
    session.purgedAtUnlock = (await session.engine.purgeExpired()).purged;
    await checkDeadmanSwitch(session, opts.onWarning);
    startDeadmanTimer(session, opts.onWarning);
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

/**
 * An integrity failure or a damaged database is audited and turns lockdown on where the log
 * still takes appends (a shortened log does). The external record is detached first, so these
 * leaves never move it and the next unlock fails the same way. Best effort: a log that cannot
 * be written is reported by the error alone.
 */
async function auditIntegrityFailure(session: VaultSession, e: unknown): Promise<void> {
  if (!(e instanceof VaultError) || (e.code !== 'INTEGRITY_FAILURE' && e.code !== 'VAULT_CORRUPT')) return;
  // Keep the record as evidence: nothing this session appends may move it.
  session.engine.auditLog.checkpointer.recorder = null;
  try {
    await session.engine.recordEvent({
      kind: 'integrity.failure',
      actor: { type: 'system', id: 'integrity-check' },
      outcome: 'error',
      code: 'INTEGRITY_FAILURE',
      reason: e.message,
      details: e.details,
    });
    await session.engine.lockdownOn(
      { kind: 'system', component: 'integrity-check' },
      e.code === 'VAULT_CORRUPT' ? 'The vault database is damaged.' : 'The audit log failed its integrity check.',
    );
  } catch {
    // Not writable: the caller still hears INTEGRITY_FAILURE.
  }
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

/**
 * Lockdown rule "repeated bad credentials": failed attempts counted next to the header since
 * the last successful unlock; at or over the owner's limit, lockdown goes on (and is audited).
 * At unlock (`atUnlock`) the count is audited and reset; in an open session it accumulates
 * until it trips.
 */
async function applyBadCredentialRule(session: VaultSession, atUnlock: boolean): Promise<void> {
  const count = readBadCredentialCount(session.paths.dir);
  if (count === null || count.count === 0) return;
  const rules = readLockdownRules(session.repo);
  const trips = rules.maxBadCredentials !== null && count.count >= rules.maxBadCredentials;
  if (!atUnlock && !trips) return;
  await session.engine.recordEvent({ kind: 'unlock.failed', actor: { type: 'system', id: 'credential-counter' }, outcome: 'refused', code: 'BAD_CREDENTIALS', details: { failedAttempts: count.count, last: count.last } });
  if (trips && !session.engine.lockdownStatus().on) {
    await session.engine.lockdownOn({ kind: 'system', component: 'credential-counter' }, `${count.count} failed unlock attempts (lockdown rule: ${rules.maxBadCredentials})`);
  }
  resetBadCredentialCount(session.paths.dir);
}

function buildSession(
  paths: VaultPaths,
  header: VaultHeader,
  profile: ProfileRecord,
  profileKey: Buffer,
  db: SqliteDatabase,
  lock: VaultLock,
  opts: SessionOptions & { channel?: OwnerChannel },
): VaultSession {
  const repo = new SqliteVaultRepository(db);
  const platformTpm = {
    bound: profile.source.kind === 'tpm2',
    present: tpmPresence(opts.tpm?.tcti),
    ...(opts.onWarning ? { warn: opts.onWarning } : {}),
  };
  const engine = new VaultEngine({ ...opts, repo, vaultId: header.vaultId, profileId: profile.id, profileKey, platformTpm });
  const session = new VaultSession(paths, header, profile, engine, repo, db, lock, opts.channel ?? 'cli', opts.tpm ?? {});
  session.useHardwarePort(opts.gates?.hardwareKey ?? null);
  if (opts.clock) session.clock = opts.clock;
  if (opts.hardwareKey) session.bindHardwareKey(opts.hardwareKey);
  return session;
}
