import { describe, expect, it } from 'vitest';
import { generateNoteKey, parseSignerKey, parseVerifierKey, type NoteVerifier, type ParsedNoteSigner } from '../audit/index.js';
import { VaultError } from '../errors.js';
import { checkManifest, openManifest, SectionDigester, sectionOf, signManifest, type BackupManifest } from './backup-manifest.js';

function keyPair(name: string): { signer: ParsedNoteSigner; verifier: NoteVerifier } {
  const k = generateNoteKey(name);
  const s = parseSignerKey(k.signerKey);
  const v = parseVerifierKey(k.verifierKey);
  if (!s.ok || !v.ok) throw new Error('key');
  return { signer: s.value, verifier: v.value };
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
    return 'OK';
  } catch (e) {
    return e instanceof VaultError ? e.code : 'THROWN';
  }
}

const ORIGIN = 'memory-vault/11111111-2222-4333-8444-555555555555';
const manifest = (sections: BackupManifest['sections']): BackupManifest => ({
  vaultId: '11111111-2222-4333-8444-555555555555',
  backupId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
  headerDigest: 'ab'.repeat(32),
  sections,
});

describe('backup manifest', () => {
  const d = new SectionDigester();
  d.add(sectionOf({ t: 'vault-header' }), Buffer.from('h'));
  d.add(sectionOf({ t: 'row', table: 'agents' }), Buffer.from('a1'));
  d.add(sectionOf({ t: 'row', table: 'agents' }), Buffer.from('a2'));
  const sections = d.sections();

  it('digests each section in order, by table', () => {
    expect(sections.map((s) => [s.name, s.records])).toEqual([
      ['vault-header', 1],
      ['table:agents', 2],
    ]);
  });

  it('opens with the signing key and round-trips', () => {
    const k = keyPair(ORIGIN);
    const m = manifest(sections);
    expect(openManifest(signManifest(m, k.signer), k.verifier)).toEqual(m);
  });

  it('refuses another key, an edited text and a mismatching stream', () => {
    const k = keyPair(ORIGIN);
    const other = keyPair(ORIGIN);
    const note = signManifest(manifest(sections), k.signer);
    expect(codeOf(() => openManifest(note, other.verifier))).toBe('INTEGRITY_FAILURE');
    expect(codeOf(() => openManifest(note.replace('table:agents 2', 'table:agents 3'), k.verifier))).toBe('INTEGRITY_FAILURE');
    const read = { vaultId: manifest([]).vaultId, backupId: manifest([]).backupId, headerDigest: 'ab'.repeat(32) };
    expect(codeOf(() => checkManifest(manifest(sections), { ...read, sections }))).toBe('OK');
    expect(codeOf(() => checkManifest(manifest(sections), { ...read, sections: sections.slice(0, 1) }))).toBe('INTEGRITY_FAILURE');
    expect(codeOf(() => checkManifest(manifest(sections), { ...read, headerDigest: 'cd'.repeat(32), sections }))).toBe('INTEGRITY_FAILURE');
  });

  it('refuses a section that resumes after another began (a spliced stream)', () => {
    const s = new SectionDigester();
    s.add('table:agents', Buffer.from('a'));
    s.add('table:memories', Buffer.from('m'));
    expect(codeOf(() => s.add('table:agents', Buffer.from('b')))).toBe('INTEGRITY_FAILURE');
  });
});
