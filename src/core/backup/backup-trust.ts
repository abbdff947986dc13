// What makes a backup trustworthy enough to verify or restore.
//
// Invariant: trust comes from outside the backup — the audit verifier key of the vault being
// replaced, or one the owner passes — never from keys the backup carries. A backup is accepted
// only if (a) its signed manifest (format v2) opens with that key and names exactly the header and
// record stream read, (b) the audit verifier key it carries is that key, and (c) it holds at least
// one checkpoint, every one signed by that key. An unsigned (v1) backup is refused unless the
// owner explicitly accepts it; (b) and (c) still apply then.
import { z } from 'zod';
import { openCheckpoint, parseVerifierKey, type NoteVerifier } from '../audit/index.js';
import { VaultError } from '../errors.js';
import type { BackupHeader } from './backup-format.js';
import { checkManifest, manifestRecordSchema, openManifest, SectionDigester, sectionOf } from './backup-manifest.js';

export interface BackupTrust {
  /** The signed-note verifier key (`name+hash+base64`) the backup must be signed with. */
  readonly verifierKey: string;
  /** Read a version-1 (unsigned) backup; its tables other than the audit log are then unauthenticated. */
  readonly acceptUnsigned?: boolean;
}

export interface TrustReport {
  readonly signed: boolean;
  readonly checkpoints: number;
  readonly verifierKey: string;
}

const AUDIT_VERIFIER_STATE = 'audit.verifier';
const rowShape = z.object({ t: z.literal('row'), table: z.string(), row: z.record(z.string(), z.unknown()) });

export function parseTrustedKey(verifierKey: string): NoteVerifier {
  const v = parseVerifierKey(verifierKey.trim());
  if (!v.ok) throw new VaultError('INVALID_INPUT', `The audit key is not a verifier key (name+hash+base64): ${v.error}.`);
  return v.value;
}

/** Fails before anything is decrypted when the backup's version cannot be trusted this way. */
export function assertTrustable(header: BackupHeader, trust: BackupTrust): void {
  if (header.version === 1 && !trust.acceptUnsigned) {
    throw new VaultError(
      'INTEGRITY_FAILURE',
      'This backup is unsigned (made before backups were signed): anyone holding its age recipient could have written it. Pass --accept-unsigned only if you know where it came from.',
      { reason: 'unsigned' },
    );
  }
}

/** Watches the record stream; `observe` before each record is used, `finish` after the final chunk. */
export class BackupTrustCheck {
  private readonly verifier: NoteVerifier;
  private readonly digester = new SectionDigester();
  private manifestNote: string | null = null;
  private checkpoints = 0;
  private carriesKey = false;

  constructor(
    private readonly header: BackupHeader,
    private readonly headerDigestHex: string,
    private readonly trust: BackupTrust,
  ) {
    assertTrustable(header, trust);
    this.verifier = parseTrustedKey(trust.verifierKey);
  }

  /** 'manifest' for the manifest record (not to be used as data), 'record' otherwise. */
  observe(value: unknown, bytes: Uint8Array): 'record' | 'manifest' {
    if (this.manifestNote !== null) throw new VaultError('INTEGRITY_FAILURE', 'The backup has records after its manifest.');
    const manifest = manifestRecordSchema.safeParse(value);
    if (manifest.success) {
      if (this.header.version === 1) throw new VaultError('INTEGRITY_FAILURE', 'A version-1 backup cannot carry a manifest.');
      this.manifestNote = manifest.data.note;
      return 'manifest';
    }
    this.digester.add(sectionOf(value), bytes);
    const r = rowShape.safeParse(value);
    if (r.success && r.data.table === 'vault_state' && r.data.row.key === AUDIT_VERIFIER_STATE) {
      if (typeof r.data.row.value !== 'string' || r.data.row.value !== this.trust.verifierKey.trim()) {
        throw new VaultError(
          'INTEGRITY_FAILURE',
          "The backup carries another audit key than this vault's: it was not made by this vault.",
          { reason: 'foreign-key' },
        );
      }
      this.carriesKey = true;
    }
    if (r.success && r.data.table === 'checkpoints') {
      const note = r.data.row.note;
      const size = typeof r.data.row.size === 'number' ? r.data.row.size : -1;
      if (typeof note !== 'string' || !openCheckpoint(note, this.verifier).ok) {
        throw new VaultError('INTEGRITY_FAILURE', `Checkpoint ${size} in the backup is not signed by this vault's audit key.`, {
          reason: 'foreign-checkpoint',
        });
      }
      this.checkpoints++;
    }
    return 'record';
  }

  finish(): TrustReport {
    if (this.checkpoints === 0)
      throw new VaultError('INTEGRITY_FAILURE', 'The backup holds no signed checkpoint, so nothing in it is vouched for by the vault.', {
        reason: 'no-checkpoints',
      });
    if (this.header.kind === 'full' && !this.carriesKey) throw new VaultError('INTEGRITY_FAILURE', 'The backup has no audit verifier key.');
    if (this.header.version === 2) {
      if (this.manifestNote === null)
        throw new VaultError('INTEGRITY_FAILURE', 'The backup has no signed manifest (it was cut short or forged).', {
          reason: 'no-manifest',
        });
      const m = openManifest(this.manifestNote, this.verifier);
      checkManifest(m, {
        vaultId: this.header.vaultId,
        backupId: this.header.backupId,
        headerDigest: this.headerDigestHex,
        sections: this.digester.sections(),
      });
    }
    return { signed: this.header.version === 2, checkpoints: this.checkpoints, verifierKey: this.trust.verifierKey.trim() };
  }
}
