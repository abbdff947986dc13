// The open vault: the handle a surface holds between unlock and lock.
// Invariants: keys are wiped and the lock released on close, whichever way it closes; the
// session is built only by the opener (vault-opener.ts, through session-builder.ts), so every
// session carries the unlock-time checks its composition root registered; owner proofs come only
// from its OwnerVerifier. Features should take `ports` (session-ports.ts), not the session.
import type { OwnerProof, VaultEngine } from '../../core/engine/vault-engine.js';
import type { OwnerChannel } from '../../core/model/requester.js';
import type { Clock } from '../../core/ports/clock.port.js';
import type { HardwareKeyPort } from '../../core/ports/hardware-key.port.js';
import type { SqliteDatabase } from '../store/encrypted-database.js';
import { storageDamageError } from '../store/storage-damage.js';
import type { SqliteVaultRepository } from '../store/sqlite-vault-repository.js';
import { openFeatureTables, type FeatureTables } from '../store/feature-tables.js';
import type { VaultReads } from '../store/vault-reads.port.js';
import type { HardwareKeyStore } from '../hardware/hardware-key-store.js';
import type { HardwareKeyBindingOptions, VaultHardwareKey } from '../hardware/vault-hardware-key.js';
import type { Credentials } from './credentials.js';
import type { FileHeaderStore } from './header-store.js';
import { auditIntegrityFailure } from './integrity-failure.js';
import type { OwnerVerifier } from './owner-verifier.js';
import type { SessionHardware } from './session-hardware.js';
import type { SessionPorts } from './session-ports.js';
import type { ProfileRecord, VaultHeader } from './vault-header.js';
import type { VaultLock } from './vault-lock.js';
import type { VaultPaths } from './vault-paths.js';
import type { WorkerDatabase } from '../workers/vault-worker-client.js';
import { setWitnessDir } from './witness-setting.js';

export type { HardwareSessionOptions, InitOptions, RecoveryUnlockOptions, SessionOptions, UnlockOptions } from './session-options.js';
export { WITNESS_DIR_STATE } from './witness-setting.js';

/** What session-builder.ts assembles; nothing else constructs a session. */
export interface VaultSessionParts {
  readonly paths: VaultPaths;
  readonly headers: FileHeaderStore;
  readonly engine: VaultEngine;
  readonly repo: SqliteVaultRepository;
  readonly db: SqliteDatabase;
  readonly lock: VaultLock;
  readonly owner: OwnerVerifier;
  readonly hardware: SessionHardware;
  readonly clock: Clock;
  readonly workerDatabase: WorkerDatabase;
}

export class VaultSession {
  private closed = false;
  /** Expired level-0 memories removed by the purge that runs on every unlock. */
  purgedAtUnlock = 0;
  /** keyFingerprint of the profile key this session was opened with (non-secret). */
  profileKeyFingerprint = '';
  private readonly closeHooks: (() => void)[] = [];
  readonly paths: VaultPaths;
  readonly engine: VaultEngine;
  /** The owner verifier: re-authentication and the only source of OwnerProof. */
  readonly owner: OwnerVerifier;
  /** FIDO2 key records, the level-5 port, binding. */
  readonly hardware: SessionHardware;
  /** The engine's clock (tests pass a fake one); node-side services use it for deadlines. */
  readonly clock: Clock;
  /** The narrow ports features take instead of this session. */
  readonly ports: SessionPorts;
  /** For worker threads' own read-only connections (full verification, backup): the file and a fresh key copy. */
  readonly workerDatabase: WorkerDatabase;
  /** @deprecated Feature code moves to `ports` and `engine.runAudited`; this becomes non-public. */
  readonly repo: SqliteVaultRepository;
  private readonly headers: FileHeaderStore;
  private readonly db: SqliteDatabase;
  private readonly lock: VaultLock;

  constructor(parts: VaultSessionParts) {
    this.paths = parts.paths;
    this.headers = parts.headers;
    this.engine = parts.engine;
    this.repo = parts.repo;
    this.db = parts.db;
    this.lock = parts.lock;
    this.owner = parts.owner;
    this.hardware = parts.hardware;
    this.clock = parts.clock;
    this.workerDatabase = parts.workerDatabase;
    const repo = parts.repo;
    this.ports = {
      headers: parts.headers,
      owner: parts.owner,
      audited: parts.engine,
      clock: parts.clock,
      state: { getState: (key) => repo.getState(key) },
      hardwareKey: () => parts.hardware.port,
    };
  }

  get header(): VaultHeader {
    return this.headers.header;
  }

  get profile(): ProfileRecord {
    return this.headers.profile;
  }

  /** Rewrite vault.json (atomically) from the current header; used by escrow and recovery. */
  updateHeader(change: (header: VaultHeader, profile: ProfileRecord) => ProfileRecord): void {
    this.headers.update(change);
  }

  /** The level-5 token port (bound FIDO2 keys, or one given as a gate), if any. */
  get hardwareKeyPort(): HardwareKeyPort | null {
    return this.hardware.port;
  }

  /** @internal set when the session is built from gates. */
  useHardwarePort(port: HardwareKeyPort | null): void {
    this.hardware.usePort(port);
  }

  /** The enrolled hardware keys (table hardware_keys). */
  get hardwareKeys(): HardwareKeyStore {
    return this.hardware.keys;
  }

  /** Register the enrolled, non-revoked FIDO2 keys as the engine's level-5 gate. */
  bindHardwareKey(options: HardwareKeyBindingOptions): VaultHardwareKey {
    return this.hardware.bind(options);
  }

  /** Run `fn` when the session closes (timers of node-side services). */
  onClose(fn: () => void): void {
    this.closeHooks.push(fn);
  }

  private featureTables: FeatureTables | undefined;

  /** The features' table modules (agents, hardware keys, escrows, …): what feature code gets instead of the database. */
  get tables(): FeatureTables {
    return (this.featureTables ??= openFeatureTables(this.db, () => this.repo.forgetCachedMemories()));
  }

  /** Read-only view of the vault's tables for features (proofs, backups, health); writes go through engine.runAudited. */
  get reads(): VaultReads {
    return this.repo;
  }

  /**
   * @deprecated The open encrypted database, for node-side adapters that keep their own tables
   * (agents, hardware keys) until the storage split gives each its table module.
   */
  get database(): SqliteDatabase {
    return this.db;
  }

  /** The owner unlocked this session with valid credentials just now. */
  ownerProof(): OwnerProof {
    return this.owner.unlockProof();
  }

  /** Re-check the owner's credentials (lifting lockdown, revealing level ≥ 3) without re-opening. */
  verifyOwner(credentials: Credentials, channel?: OwnerChannel): Promise<OwnerProof> {
    return this.owner.verify(credentials, channel);
  }

  /** See OwnerVerifier.openKeys: the caller zeroes both keys. */
  openKeys(credentials: Credentials): Promise<{ wrappingKey: Buffer; profileKey: Buffer }> {
    return this.owner.openKeys(credentials);
  }

  /** A login on a running server's owner socket did not finish: counts like a wrong credential. */
  recordFailedOwnerLogin(): Promise<void> {
    return this.owner.recordFailedLogin();
  }

  /** Configure (or clear) the directory witness; checks the log against it first. */
  setWitnessDir(dir: string | null): void {
    setWitnessDir(this.engine, this.repo, dir);
  }

  /**
   * A failure from inside an open session, named: a damaged database page becomes VAULT_CORRUPT
   * (audited as integrity.failure, with lockdown, where the log still takes appends). Any other
   * error is returned unchanged.
   */
  async reportDamage(e: unknown): Promise<unknown> {
    const named = storageDamageError(e);
    if (!named) return e;
    await auditIntegrityFailure(this.engine, named);
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
