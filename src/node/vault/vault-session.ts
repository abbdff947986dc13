// Creating and unlocking a vault on disk, and the session that owns the open database.
// Invariants: a wrong credential never modifies any vault file; a missing or damaged database
// is reported, never replaced by a new empty vault; keys are wiped on close.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { newArgon2idParams, DEFAULT_ARGON2ID } from '../../core/crypto/passphrase-kdf.js';
import { keyFingerprint, randomKey, zeroize } from '../../core/crypto/keys.js';
import { VaultError } from '../../core/errors.js';
import { unwrapDatabaseKey, unwrapProfileKey, wrapDatabaseKey, wrapProfileKey } from '../../core/keys/profile-keys.js';
import type { OwnerChannel } from '../../core/model/requester.js';
import { VaultEngine, type OwnerProof, type VaultEngineOptions } from '../../core/engine/vault-engine.js';
import { createEncryptedDatabase, openEncryptedDatabase, type SqliteDatabase } from '../store/encrypted-database.js';
import { SqliteVaultRepository } from '../store/sqlite-vault-repository.js';
import { newTpmKeySource, wrappingKeyFor, type Credentials, type TpmAccess } from './credentials.js';
import { HardwareKeyStore } from '../hardware/hardware-key-store.js';
import { VaultHardwareKey, type HardwareKeyBindingOptions } from '../hardware/vault-hardware-key.js';
import { tpmPresence } from '../hardware/platform-tpm.js';
import { readVaultHeader, writeVaultHeader, type KeySource, type ProfileRecord, type VaultHeader } from './vault-header.js';
import { acquireVaultLock, type VaultLock } from './vault-lock.js';
import { DirectoryWitness } from '../witness/directory-witness.js';

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
  constructor(
    readonly paths: VaultPaths,
    readonly header: VaultHeader,
    readonly profile: ProfileRecord,
    readonly engine: VaultEngine,
    readonly repo: SqliteVaultRepository,
    private readonly db: SqliteDatabase,
    private readonly lock: VaultLock,
    private readonly channel: OwnerChannel,
    private readonly tpm: TpmAccess = {},
  ) {}

  private keyStore: HardwareKeyStore | undefined;

  /** The enrolled hardware keys (table hardware_keys). */
  get hardwareKeys(): HardwareKeyStore {
    this.keyStore ??= new HardwareKeyStore(this.database);
    return this.keyStore;
  }

  /** Register the enrolled, non-revoked FIDO2 keys as the engine's level-5 gate. */
  bindHardwareKey(options: HardwareKeyBindingOptions): VaultHardwareKey {
    const hardwareKey = new VaultHardwareKey(this.hardwareKeys, (event) => this.engine.recordEvent(event), options);
    this.engine.setGates({ hardwareKey });
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
    const wk = await wrappingKeyFor(this.profile.source, credentials, this.tpm);
    try {
      zeroize(unwrapProfileKey(wk, this.profile.wrappedProfileKey, this.header.vaultId, this.profile.id));
    } finally {
      zeroize(wk);
    }
    return { __ownerProof: true, channel };
  }

  /** Configure (or clear) the directory witness; checks the log against it first. */
  setWitnessDir(dir: string | null): void {
    const witness = dir === null ? null : new DirectoryWitness(dir);
    this.engine.auditLog.attachWitness(witness);
    this.repo.transaction(() => (dir === null ? this.repo.setState(WITNESS_DIR_STATE, '') : this.repo.setState(WITNESS_DIR_STATE, dir)), 'full');
    if (witness) this.engine.auditLog.checkpointer.checkpointSync();
  }

  /** Close without signing anything (the vault failed an integrity check at unlock). */
  abandon(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.db.close();
    } finally {
      this.lock.release();
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
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
    const wk = await wrappingKeyFor(profile.source, opts.credentials, opts.tpm);
    let profileKey: Buffer;
    try {
      profileKey = unwrapProfileKey(wk, profile.wrappedProfileKey, header.vaultId, profile.id);
    } finally {
      zeroize(wk);
    }
    const databaseKey = unwrapDatabaseKey(profileKey, profile.wrappedDatabaseKey, header.vaultId);
    let db: SqliteDatabase;
    try {
      db = openEncryptedDatabase(paths.database, databaseKey);
    } finally {
      zeroize(databaseKey);
    }
    const session = buildSession(paths, header, profile, profileKey, db, lock, opts);
    try {
      // Truncation, rollback and fork detection happen before anything is appended.
      session.engine.auditLog.quickCheck();
      const witnessDir = session.repo.getState(WITNESS_DIR_STATE);
      if (witnessDir) session.engine.auditLog.attachWitness(new DirectoryWitness(witnessDir));
    } catch (e) {
      session.abandon();
      throw e;
    }
    await session.engine.recordEvent({ kind: 'vault.unlock', actor: { type: 'owner', id: opts.channel ?? 'cli' }, outcome: 'ok', details: { profile: profile.id } });
    session.purgedAtUnlock = (await session.engine.purgeExpired()).purged;
    return session;
  } catch (e) {
    lock.release();
    throw e;
  }
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
  if (opts.hardwareKey) session.bindHardwareKey(opts.hardwareKey);
  return session;
}
