// Assembles a session from an opened database: repository, engine, owner verifier, hardware.
// Only the opener calls this (tests/architecture checks it), so every session is built one way.
import { VaultEngine } from '../../core/engine/vault-engine.js';
import { unwrapDatabaseKey } from '../../core/keys/profile-keys.js';
import type { OwnerChannel } from '../../core/model/requester.js';
import { systemClock } from '../../core/ports/clock.port.js';
import type { SqliteDatabase } from '../store/encrypted-database.js';
import { SqliteVaultRepository } from '../store/sqlite-vault-repository.js';
import { workerAuditCheck } from '../workers/audit-verify-worker.js';
import { workerBundleExport } from '../workers/bundle-export-worker.js';
import type { WorkerDatabase } from '../workers/vault-worker-client.js';
import { applyBadCredentialRule } from './bad-credential-rule.js';
import { FileHeaderStore } from './header-store.js';
import { OwnerVerifier } from './owner-verifier.js';
import { platformTpmFor, SessionHardware } from './session-hardware.js';
import type { SessionOptions } from './session-options.js';
import type { ProfileRecord, VaultHeader } from './vault-header.js';
import type { VaultLock } from './vault-lock.js';
import type { VaultPaths } from './vault-paths.js';
import { VaultSession } from './vault-session.js';

export interface SessionSource {
  readonly paths: VaultPaths;
  readonly header: VaultHeader;
  readonly profile: ProfileRecord;
  readonly profileKey: Buffer;
  readonly db: SqliteDatabase;
  readonly lock: VaultLock;
}

export function buildSession(src: SessionSource, opts: SessionOptions & { channel?: OwnerChannel }): VaultSession {
  const { paths, header, profile, profileKey, db, lock } = src;
  const repo = new SqliteVaultRepository(db);
  const headers = new FileHeaderStore(paths, header, profile);
  const platformTpm = platformTpmFor(profile, opts.tpm, opts.onWarning);
  const owner: OwnerVerifier = new OwnerVerifier({
    headers,
    tpm: opts.tpm ?? {},
    unlockChannel: opts.channel ?? 'cli',
    // In an open session a wrong credential only trips the rule (the count is audited at the next unlock).
    onBadCredential: (): Promise<void> => applyBadCredentialRule({ dir: paths.dir, engine, repo }, false),
  });
  // The engine takes owner proofs from this session's verifier only.
  const engine: VaultEngine = new VaultEngine({
    ...opts,
    repo,
    vaultId: header.vaultId,
    profileId: profile.id,
    profileKey,
    platformTpm,
    ownerProofs: owner,
  });
  // Long owner reads (full verification, backup) run in worker threads on their own read-only
  // connection; each gets a fresh copy of the database key, unwrapped from the header on demand.
  const workerDatabase: WorkerDatabase = {
    path: paths.database,
    key: () => unwrapDatabaseKey(profileKey, headers.profile.wrappedDatabaseKey, headers.header.vaultId),
  };
  engine.auditLog.fullCheck = workerAuditCheck(workerDatabase, engine.auditLog);
  engine.auditLog.bundleExport = workerBundleExport(workerDatabase, engine.auditLog);
  const hardware = new SessionHardware(db, engine, opts.gates?.hardwareKey ?? null);
  const session = new VaultSession({
    paths,
    headers,
    engine,
    repo,
    db,
    lock,
    owner,
    hardware,
    clock: opts.clock ?? systemClock,
    workerDatabase,
  });
  if (opts.hardwareKey) hardware.bind(opts.hardwareKey);
  return session;
}
