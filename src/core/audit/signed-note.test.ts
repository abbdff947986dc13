import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { generateNoteKey, parseSignerKey, parseVerifierKey } from './note-key.js';
import type { NoteSigner, NoteVerifier } from './note-key.js';
import { NoteFormatError, openNote, signNote } from './signed-note.js';

function keys(name: string): { signer: NoteSigner; verifier: NoteVerifier } {
  const k = generateNoteKey(name);
  const s = parseSignerKey(k.signerKey);
  const v = parseVerifierKey(k.verifierKey);
  if (!s.ok || !v.ok) throw new Error('generated key did not parse');
  return { signer: s.value, verifier: v.value };
}

const lineText = fc
  .array(
    fc.string({ unit: 'grapheme', minLength: 0, maxLength: 20 }).map((s) => [...s].filter((c) => c >= ' ').join('')),
    { minLength: 1, maxLength: 5 },
  )
  .map((lines) => lines.join('\n') + '\n');

describe('signed notes', () => {
  const log = keys('example.com/log');
  const witness = keys('witness.example');

  it('round-trips any valid text with several signers', () => {
    fc.assert(
      fc.property(lineText, (text) => {
        const signed = signNote(text, [log.signer, witness.signer]);
        const opened = openNote(signed, [log.verifier]);
        expect(opened.ok && opened.note.text).toBe(text);
        expect(opened.ok && opened.note.unverifiedSigs.map((s) => s.name)).toEqual(['witness.example']);
        const bytes = openNote(new TextEncoder().encode(signed), [log.verifier, witness.verifier]);
        expect(bytes.ok && bytes.note.sigs).toHaveLength(2);
      }),
      { numRuns: 50 },
    );
  });

  it('never throws and never verifies after a random byte mutation', () => {
    const signed = new TextEncoder().encode(signNote('example.com/log\n42\nsome text with ünïcode\n', [log.signer]));
    fc.assert(
      fc.property(fc.nat(signed.length - 1), fc.integer({ min: 1, max: 255 }), (at, xor) => {
        const m = new Uint8Array(signed);
        m[at] = (m[at] as number) ^ xor;
        const r = openNote(m, [log.verifier]);
        expect(r.ok).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses to sign text that could not be opened', () => {
    expect(() => signNote('no newline', [log.signer])).toThrow(NoteFormatError);
    expect(() => signNote('tab\there\n', [log.signer])).toThrow(NoteFormatError);
    expect(() => signNote('fine\n', [])).toThrow(NoteFormatError);
    expect(() => signNote('fine\n', [{ ...log.signer, name: 'bad name' }])).toThrow(NoteFormatError);
  });

  it('ignores a signature from an unknown key sharing the name but not the key hash', () => {
    const impostor = keys('example.com/log');
    const signed = signNote('text\n', [impostor.signer, log.signer]);
    const r = openNote(signed, [log.verifier]);
    expect(r.ok && r.note.unverifiedSigs).toHaveLength(1);
    const onlyImpostor = openNote(signNote('text\n', [impostor.signer]), [log.verifier]);
    expect(!onlyImpostor.ok && onlyImpostor.error.kind).toBe('unverified-note');
  });

  it('refuses non-canonical base64 and short signatures', () => {
    const signed = signNote('text\n', [log.signer]);
    const b64 = signed.slice(signed.lastIndexOf(' ') + 1, -1);
    const noPad = signed.replace(b64, b64.replace(/=+$/, ''));
    expect(openNote(noPad, [log.verifier]).ok).toBe(false);
    expect(openNote('text\n\n\u2014 example.com/log AAAAAA==\n', [log.verifier]).ok).toBe(false);
  });
});
