// The signed backup manifest (backup format version 2).
//
// Invariant: a version-2 backup is accepted only if its last record is a C2SP signed note, signed
// by the vault's audit key (the same Ed25519 note key that signs checkpoints), that names the
// SHA-256 of the backup header and, for every section of the record stream in order (the vault
// header, the touched-memory list, each table), its record count and the SHA-256 of its records'
// bytes. Encryption alone authenticates nothing: anyone holding the age recipient printed in the
// header can seal a new file. The signature is what ties the content to the vault, so no section
// can be swapped, dropped, added or reordered, and no other key's backup passes.
import { createHash, type Hash } from 'node:crypto';
import { z } from 'zod';
import { openNote, signNote, type NoteSigner, type NoteVerifier } from '../audit/index.js';
import { VaultError } from '../errors.js';

export const MANIFEST_TITLE = 'memory-vault backup manifest v2';

export interface ManifestSection {
  readonly name: string;
  readonly records: number;
  /** Hex SHA-256 of the section's encoded records (u32 length || JSON), concatenated in order. */
  readonly digest: string;
}

export interface BackupManifest {
  readonly vaultId: string;
  readonly backupId: string;
  /** Hex SHA-256 of the header JSON (the same digest the chunks authenticate). */
  readonly headerDigest: string;
  readonly sections: readonly ManifestSection[];
}

/** The manifest travels as the stream's last record: `{"t":"manifest","note":…}`. */
export const manifestRecordSchema = z.object({ t: z.literal('manifest'), note: z.string().max(1024 * 1024) }).strict();

const sectionName = z.string().regex(/^[a-z][a-z_:-]{0,63}$/);
const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const recordShape = z.object({ t: z.string(), table: z.string().optional() }).passthrough();

/** The section a record belongs to: `row` records by table, the others by their type. */
export function sectionOf(record: unknown): string {
  const r = recordShape.safeParse(record);
  if (!r.success) return 'unknown';
  return r.data.t === 'row' ? `table:${r.data.table ?? ''}` : r.data.t;
}

/** Accumulates per-section digests in stream order; a section that resumes after another began is refused. */
export class SectionDigester {
  private readonly done: ManifestSection[] = [];
  private current: { name: string; records: number; hash: Hash } | null = null;

  add(section: string, recordBytes: Uint8Array): void {
    if (this.current?.name !== section) {
      this.closeCurrent();
      if (this.done.some((s) => s.name === section))
        throw new VaultError('INTEGRITY_FAILURE', `The backup's ${section} section is split in two.`);
      this.current = { name: section, records: 0, hash: createHash('sha256') };
    }
    this.current.records++;
    this.current.hash.update(recordBytes);
  }

  sections(): readonly ManifestSection[] {
    this.closeCurrent();
    return this.done;
  }

  private closeCurrent(): void {
    if (!this.current) return;
    this.done.push({ name: this.current.name, records: this.current.records, digest: this.current.hash.digest('hex') });
    this.current = null;
  }
}

function manifestText(m: BackupManifest): string {
  const lines = [
    MANIFEST_TITLE,
    `vault ${m.vaultId}`,
    `backup ${m.backupId}`,
    `header ${m.headerDigest}`,
    ...m.sections.map((s) => `section ${s.name} ${s.records} ${s.digest}`),
  ];
  return `${lines.join('\n')}\n`;
}

export function signManifest(m: BackupManifest, signer: NoteSigner): string {
  return signNote(manifestText(m), [signer]);
}

const idLine = z.string().regex(/^[0-9A-Za-z-]{1,64}$/);

function parseManifestText(text: string): BackupManifest | null {
  const lines = text.slice(0, -1).split('\n');
  const [title, vault, backup, header, ...rest] = lines;
  if (title !== MANIFEST_TITLE) return null;
  const vaultId = idLine.safeParse(vault?.startsWith('vault ') ? vault.slice(6) : undefined);
  const backupId = idLine.safeParse(backup?.startsWith('backup ') ? backup.slice(7) : undefined);
  const headerDigest = hex64.safeParse(header?.startsWith('header ') ? header.slice(7) : undefined);
  if (!vaultId.success || !backupId.success || !headerDigest.success) return null;
  const sections: ManifestSection[] = [];
  for (const line of rest) {
    const [word, name, records, digest, extra] = line.split(' ');
    const n = sectionName.safeParse(name);
    const d = hex64.safeParse(digest);
    if (word !== 'section' || extra !== undefined || !n.success || !d.success || !/^(0|[1-9][0-9]{0,11})$/.test(records ?? '')) return null;
    sections.push({ name: n.data, records: Number(records), digest: d.data });
  }
  return { vaultId: vaultId.data, backupId: backupId.data, headerDigest: headerDigest.data, sections };
}

/** Opens the signed manifest with the trusted key only; any other signer, or none, is refused. */
export function openManifest(note: string, trusted: NoteVerifier): BackupManifest {
  const opened = openNote(note, [trusted]);
  if (!opened.ok) {
    const why =
      opened.error.kind === 'unverified-note'
        ? "is signed by another key than this vault's audit key"
        : opened.error.kind === 'invalid-signature'
          ? 'has a bad signature'
          : 'is malformed';
    throw new VaultError('INTEGRITY_FAILURE', `The backup manifest ${why}: this backup was not made by this vault.`, {
      reason: opened.error.kind,
    });
  }
  const m = parseManifestText(opened.note.text);
  if (!m) throw new VaultError('INTEGRITY_FAILURE', 'The backup manifest is malformed.');
  return m;
}

/** The stream as read must be exactly the stream the manifest names. */
export function checkManifest(
  m: BackupManifest,
  read: { vaultId: string; backupId: string; headerDigest: string; sections: readonly ManifestSection[] },
): void {
  if (m.vaultId !== read.vaultId || m.backupId !== read.backupId || m.headerDigest !== read.headerDigest) {
    throw new VaultError('INTEGRITY_FAILURE', 'The backup manifest belongs to another backup header.');
  }
  const expected = m.sections.map((s) => `${s.name} ${s.records} ${s.digest}`).join('\n');
  const actual = read.sections.map((s) => `${s.name} ${s.records} ${s.digest}`).join('\n');
  if (expected !== actual) {
    const bad =
      m.sections.find((s, i) => read.sections[i]?.digest !== s.digest || read.sections[i]?.name !== s.name)?.name ??
      read.sections[m.sections.length]?.name ??
      '?';
    throw new VaultError('INTEGRITY_FAILURE', `The backup's ${bad} section does not match its signed manifest.`);
  }
}
