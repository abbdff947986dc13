// Key rotation: a new random profile key and database key replace the old ones.
// Invariant (crash safety): the order of durable steps is
//   1. header gains a pending slot (new profile key under the same wrapping key, new database
//      key under the new profile key) — the old slot is untouched;
//   2. one SQLite transaction (engine.runAudited) rewraps every DEK (or re-encrypts content),
//      reseals the audit signer, invalidates escrows, writes the rotation marker AND appends
//      the `key.rotation` leaf — the leaf commits with the marker or not at all;
//   3. PRAGMA rekey (journaled: all pages or none);
//   4. the leaf is read back from the re-keyed file;
//   5. header: the pending slot becomes the main slot (recovery slots dropped).
// Steps 1, 3 and 5 cannot share the SQLite transaction of step 2: the header is a file beside
// the database, and SQLite3MC's rekey rewrites every page in its own journaled transaction (in
// rollback-journal mode, outside any open transaction). What can be one transaction is: the
// marker that unlock reads to decide "finish or roll back" and the leaf that says it happened.
// A crash after step 2 is finished by unlock (resume-rotation.ts) with the leaf already there;
// a crash before it rolls back with no leaf and no change.
// A crash anywhere leaves a header whose candidates include the key the database content is
// under, and unlock (resume-rotation.ts) finishes or rolls back. Old keys are zeroed, and the
// session is closed at the end: the engine still holds the old key.
import { randomUUID } from 'node:crypto';
import { keyFingerprint, randomKey, zeroize } from '../../core/crypto/keys.js';
import { VaultError } from '../../core/errors.js';
import { openEnvelope, sealEnvelope } from '../../core/crypto/aead.js';
import { isLevel } from '../../core/levels.js';
import { rotateMemoryKeys, type RewrapHardware } from '../../core/keys/dek-rewrap.js';
import { wrapDatabaseKey, wrapProfileKey } from '../../core/keys/profile-keys.js';
import { logOrigin, signerAd } from '../../core/transparency/audit-signer.js';
import type { OwnerChannel } from '../../core/model/requester.js';
import type { Credentials } from '../vault/credentials.js';
import { writeVaultHeader, type PendingRotation, type ProfileRecord, type VaultHeader } from '../vault/vault-header.js';
import type { FeatureTables } from '../store/feature-tables.js';
import type { VaultReads } from '../store/vault-reads.port.js';
import type { SessionPorts } from '../vault/session-ports.js';
import { ROTATION_MARKER_STATE } from './rotation-marker.js';

export type RotationPhase = 'prepare' | 'touch' | 'pending-header' | 'rewrap' | 'rekey' | 'audit' | 'commit-header' | 'done';

export interface RotationProgress {
  readonly phase: RotationPhase;
  readonly done: number;
  readonly total: number;
}

export interface RotateOptions {
  readonly credentials: Credentials;
  /** Re-encrypt every memory's content under a new DEK (not only rewrap DEKs). */
  readonly full?: boolean;
  readonly onProgress?: (p: RotationProgress) => void;
  /** Which owner surface rotated, for the audit leaf (default 'cli'). */
  readonly channel?: OwnerChannel;
}

export interface RotationResult {
  readonly rotationId: string;
  readonly from: string;
  readonly to: string;
  readonly full: boolean;
  readonly memories: number;
  readonly level5: number;
  readonly escrowsInvalidated: number;
  readonly ms: number;
}

/** Level-5 DEKs are wrapped with the token's hmac-secret: one touch per memory, all before any change. */
/**
 * What a rotation needs from an open session: the header file (the pending slot), the owner's
 * keys, the audited writer, the clock, the level-5 port, its tables (memory keys, escrows, the
 * connection to rekey), the leaf read back, and closing the session (it holds the old key).
 */
export interface RotationHost {
  readonly ports: Pick<SessionPorts, 'headers' | 'owner' | 'audited' | 'clock' | 'hardwareKey'>;
  readonly tables: Pick<FeatureTables, 'memoryKeys' | 'escrows' | 'connection'>;
  readonly reads: Pick<VaultReads, 'queryAudit'>;
  close(): void;
}

async function collectHardwareSecrets(
  session: RotationHost,
  onProgress: RotateOptions['onProgress'],
): Promise<Map<string, RewrapHardware>> {
  const rows = session.tables.memoryKeys.level5Bindings();
  const out = new Map<string, RewrapHardware>();
  if (rows.length === 0) return out;
  const port = session.ports.hardwareKey();
  if (!port)
    throw new VaultError(
      'HARDWARE_REQUIRED',
      `This vault holds ${rows.length} level-5 memories: rotating their keys needs their security key.`,
    );
  try {
    for (const [i, r] of rows.entries()) {
      if (!r.hw_salt || !r.hw_credential) throw new VaultError('INTEGRITY_FAILURE', `Level-5 memory ${r.id} has no token binding.`);
      onProgress?.({ phase: 'touch', done: i, total: rows.length });
      const res = await port.deriveSecret({
        salt: r.hw_salt,
        allowCredentials: [{ credentialId: r.hw_credential }],
        reason: `Key rotation: level-5 memory ${i + 1} of ${rows.length}`,
      });
      out.set(r.id, { secret: res.secret, salt: r.hw_salt });
    }
  } catch (e) {
    for (const h of out.values()) zeroize(h.secret);
    throw e;
  }
  return out;
}

export async function rotateProfileKey(session: RotationHost, opts: RotateOptions): Promise<RotationResult> {
  const started = performance.now();
  const full = opts.full === true;
  const progress = opts.onProgress;
  progress?.({ phase: 'prepare', done: 0, total: 0 });
  const { wrappingKey, profileKey: oldKey } = await session.ports.owner.openKeys(opts.credentials);
  const newKey = randomKey();
  const newDbKey = randomKey();
  let hardware = new Map<string, RewrapHardware>();
  const original = session.ports.headers.header;
  let pendingWritten = false;
  let committed = false;
  try {
    hardware = await collectHardwareSecrets(session, progress);
    const { header, profile, paths } = session.ports.headers;
    const vaultId = header.vaultId;
    const rotation: PendingRotation = {
      id: randomUUID(),
      startedAt: new Date().toISOString(),
      full,
      wrappedProfileKey: wrapProfileKey(wrappingKey, newKey, vaultId, profile.id),
      wrappedDatabaseKey: wrapDatabaseKey(newKey, newDbKey, vaultId),
      fromKey: keyFingerprint(oldKey),
      toKey: keyFingerprint(newKey),
    };
    zeroize(wrappingKey);

    // 1. Pending slot, durable before the database changes.
    progress?.({ phase: 'pending-header', done: 0, total: 0 });
    const pendingHeader: VaultHeader = { ...header, profiles: [{ ...profile, rotation }, ...header.profiles.slice(1)] };
    writeVaultHeader(paths.header, pendingHeader, { exclusive: false });
    pendingWritten = true;

    // 2. One transaction: DEKs, audit signer, escrows, marker and the `key.rotation` leaf.
    // Content pages are kept small: a full rotation holds one page of ciphertext in memory.
    const page = full ? 16 : 1000;
    const rows = session.tables.memoryKeys.rows(full, page);
    const escrows = session.tables.escrows;
    const total = rows.count();
    let escrowsInvalidated = 0;
    let done = 0;
    // What the audit leaf and the result both say of this rotation, read when each is built.
    const summary = () => ({
      rotationId: rotation.id,
      from: rotation.fromKey,
      to: rotation.toKey,
      full,
      memories: done,
      level5: hardware.size,
      escrowsInvalidated,
    });
    await session.ports.audited.runAudited(
      (tx) => {
        // The commit queue may run this again after a rolled-back batch: start from scratch.
        done = 0;
        for (let last = -1; ;) {
          const batch = rows.page(last);
          for (const r of batch) {
            if (!isLevel(r.level)) throw new VaultError('INTEGRITY_FAILURE', `Memory ${r.id} carries an impossible level.`);
            const hw = hardware.get(r.id);
            const rotated = rotateMemoryKeys({
              binding: {
                memoryId: r.id,
                level: r.level,
                profileId: r.profile_id,
                formatVersion: r.format_version,
                contentHash: r.content_hash,
              },
              oldProfileKey: oldKey,
              newProfileKey: newKey,
              wrappedDek: r.wrapped_dek,
              ciphertext: r.ciphertext ?? Buffer.alloc(0),
              full,
              ...(hw ? { hardware: hw } : {}),
            });
            rows.write(r.rowid, rotated.wrappedDek, full ? (rotated.ciphertext ?? null) : null);
            tx.noteWrite();
            last = r.rowid;
            done++;
          }
          progress?.({ phase: 'rewrap', done, total });
          if (batch.length < page) break;
        }
        const origin = logOrigin(vaultId);
        const sealed = tx.getState('audit.signer');
        if (sealed !== undefined) {
          const signer = openEnvelope(oldKey, Buffer.from(sealed, 'base64'), signerAd(origin));
          tx.setState('audit.signer', sealEnvelope(newKey, signer, signerAd(origin)).toString('base64'));
          zeroize(signer);
        }
        // Recovery slots wrap the old key and cannot follow it (the vault never keeps recovery
        // keys, or a leaked old key would reach every future one): their escrows end here.
        escrowsInvalidated = escrows.markAllEnded(session.ports.clock.now(), 'rotation');
        tx.setState(ROTATION_MARKER_STATE, rotation.id);
      },
      () => ({
        kind: 'key.rotation',
        actor: { type: 'owner', id: opts.channel ?? 'cli' },
        outcome: 'ok',
        // databaseKeyRotated states what this rotation does: the rekey follows in step 3, and an
        // unlock after a crash finishes it because the marker committed with this leaf.
        details: { ...summary(), databaseKeyRotated: true, auditSignerResealed: true },
      }),
      'full',
    );
    committed = true;

    // 3. The database file under the new database key.
    progress?.({ phase: 'rekey', done: 0, total: 0 });
    session.tables.connection.rekey(newDbKey);

    // 4. The rotation's leaf, read back through the new database key: the header flips only
    // once the re-keyed file is known to still carry it.
    progress?.({ phase: 'audit', done: 0, total: 0 });
    const leaf = session.reads.queryAudit({ kind: 'key.rotation', limit: 1_000_000 }).some((r) => r.json.includes(rotation.id));
    if (!leaf)
      throw new VaultError('INTEGRITY_FAILURE', "The key rotation's audit event is missing after the rekey; the header was not changed.");

    // 5. The new keys become the only keys.
    progress?.({ phase: 'commit-header', done: 0, total: 0 });
    const { rotation: _pending, recovery: _dropped, ...rest } = profile;
    const promoted: ProfileRecord = {
      ...rest,
      wrappedProfileKey: rotation.wrappedProfileKey,
      wrappedDatabaseKey: rotation.wrappedDatabaseKey,
    };
    writeVaultHeader(paths.header, { ...header, profiles: [promoted, ...header.profiles.slice(1)] }, { exclusive: false });
    progress?.({ phase: 'done', done, total });
    return { ...summary(), ms: performance.now() - started };
  } catch (e) {
    // Nothing in the database changed: drop the pending slot now rather than at the next unlock.
    if (pendingWritten && !committed) writeVaultHeader(session.ports.headers.paths.header, original, { exclusive: false });
    throw e;
  } finally {
    zeroize(oldKey, newKey, newDbKey, wrappingKey);
    for (const h of hardware.values()) zeroize(h.secret);
    // The engine still holds the old profile key: this session cannot continue.
    session.close();
  }
}
