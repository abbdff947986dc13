// Known-answer tests for C2SP signed-note, from Go's sumdb/note tests (see PROVENANCE.md).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { openNote, parseSignerKey, parseVerifierKey, signNote } from '../../src/core/audit/index.js';
import type { NoteVerifier } from '../../src/core/audit/index.js';

interface NoteVectors {
  peterVerifierKey: string;
  peterSignerKey: string;
  peterKeyHash: string;
  enochVerifierKey: string;
  enochKeyHash: string;
  text: string;
  peterSigLine: string;
  enochSigLine: string;
  peterSigBase64: string;
  enochSigBase64: string;
  signedByPeter: string;
  badVerifierKeys: { key: string; why: string }[];
  malformedNotes: { note: string; why: string }[];
  malformedNoteBytesHex: { hex: string; why: string }[];
  invalidSignatureNote: { note: string };
  duplicatesNote: { note: string; wantVerified: string[]; wantUnverified: string[] };
  tooManySignatures: { repeat: number };
}

const v = JSON.parse(readFileSync(new URL('./sumdb-note.json', import.meta.url), 'utf8')) as NoteVectors;

function verifier(key: string): NoteVerifier {
  const r = parseVerifierKey(key);
  if (!r.ok) throw new Error(`vector key did not parse: ${r.error}`);
  return r.value;
}

describe('Go sumdb/note key vectors', () => {
  it('parses the PeterNeumann verifier and signer keys with key hash c74f20a3', () => {
    expect(verifier(v.peterVerifierKey).keyHash.toString(16)).toBe(v.peterKeyHash);
    const signer = parseSignerKey(v.peterSignerKey);
    expect(signer.ok && signer.value.verifierKey).toBe(v.peterVerifierKey);
    expect(verifier(v.enochVerifierKey).keyHash.toString(16)).toBe(v.enochKeyHash);
  });

  it('rejects every substring and every single-byte increment of the verifier key (TestNewVerifier)', () => {
    const k = v.peterVerifierKey;
    for (let i = 0; i <= k.length; i++) {
      for (let j = i + 1; j <= k.length; j++) if (i !== 0 || j !== k.length) expect(parseVerifierKey(k.slice(i, j)).ok).toBe(false);
    }
    for (let i = 0; i < k.length; i++) {
      const mangled = k.slice(0, i) + String.fromCharCode(k.charCodeAt(i) + 1) + k.slice(i + 1);
      expect(parseVerifierKey(mangled).ok, mangled).toBe(false);
    }
    for (const bad of v.badVerifierKeys) expect(parseVerifierKey(bad.key).ok, bad.why).toBe(false);
  });

  it('rejects every substring and every single-byte increment of the signer key (TestNewSigner)', () => {
    const k = v.peterSignerKey;
    for (let i = 0; i <= k.length; i++) {
      for (let j = i + 1; j <= k.length; j++) if (i !== 0 || j !== k.length) expect(parseSignerKey(k.slice(i, j)).ok).toBe(false);
    }
    for (let i = 0; i < k.length; i++) {
      expect(parseSignerKey(k.slice(0, i) + String.fromCharCode(k.charCodeAt(i) + 1) + k.slice(i + 1)).ok).toBe(false);
    }
  });
});

describe('Go sumdb/note signing and opening vectors', () => {
  it('signs the Peter Neumann quote byte-for-byte as Go does (TestSign)', () => {
    const signer = parseSignerKey(v.peterSignerKey);
    if (!signer.ok) throw new Error('signer key');
    expect(signNote(v.text, [signer.value])).toBe(v.signedByPeter);
    expect(() => signNote('abc', [signer.value])).toThrow(/newline/);
  });

  it('opens with one known key and keeps the unknown signature as unverified (TestOpen)', () => {
    const r = openNote(v.text + '\n' + v.peterSigLine + v.enochSigLine, [verifier(v.peterVerifierKey)]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.note.text).toBe(v.text);
    expect(r.note.sigs.map((s) => s.base64)).toEqual([v.peterSigBase64]);
    expect(r.note.unverifiedSigs.map((s) => s.base64)).toEqual([v.enochSigBase64]);
    const both = openNote(v.text + '\n' + v.peterSigLine + v.enochSigLine, [verifier(v.peterVerifierKey), verifier(v.enochVerifierKey)]);
    expect(both.ok && both.note.sigs.map((s) => s.name)).toEqual(['PeterNeumann', 'EnochRoot']);
  });

  it('refuses a note no known key signed, keeping it inspectable', () => {
    const r = openNote(v.text + '\n' + v.peterSigLine + v.enochSigLine, []);
    expect(r.ok).toBe(false);
    if (r.ok || r.error.kind !== 'unverified-note') throw new Error('want unverified-note');
    expect(r.error.note.unverifiedSigs).toHaveLength(2);
  });

  it('refuses ambiguous keys only when they sign', () => {
    const enoch = verifier(v.enochVerifierKey);
    const peter = verifier(v.peterVerifierKey);
    const amb = openNote(v.text + '\n' + v.enochSigLine, [enoch, peter, enoch]);
    expect(!amb.ok && amb.error.kind).toBe('ambiguous-key');
    expect(openNote(v.text + '\n' + v.peterSigLine, [enoch, peter, enoch]).ok).toBe(true);
  });

  it('refuses more than 100 signatures, verified or not', () => {
    const many = v.text + '\n' + v.peterSigLine.repeat(v.tooManySignatures.repeat);
    const r1 = openNote(many, [verifier(v.peterVerifierKey)]);
    const r2 = openNote(many, []);
    expect(!r1.ok && r1.error.kind).toBe('malformed-note');
    expect(!r2.ok && r2.error.kind).toBe('malformed-note');
  });

  it('refuses an invalid signature from a known key', () => {
    const r = openNote(v.invalidSignatureNote.note, [verifier(v.peterVerifierKey)]);
    expect(!r.ok && r.error.kind).toBe('invalid-signature');
  });

  it('drops repeated signatures and keeps distinct unknown ones', () => {
    const r = openNote(v.duplicatesNote.note, [verifier(v.peterVerifierKey)]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.note.sigs.map((s) => s.base64)).toEqual(v.duplicatesNote.wantVerified);
    expect(r.note.unverifiedSigs.map((s) => s.base64)).toEqual(v.duplicatesNote.wantUnverified);
  });

  it('refuses every malformed message of TestOpen', () => {
    const peter = [verifier(v.peterVerifierKey)];
    for (const m of v.malformedNotes) {
      const r = openNote(m.note, peter);
      expect(!r.ok && r.error.kind, m.why).toBe('malformed-note');
    }
    for (const m of v.malformedNoteBytesHex) {
      const r = openNote(new Uint8Array(Buffer.from(m.hex, 'hex')), peter);
      expect(!r.ok && r.error.kind, m.why).toBe('malformed-note');
    }
  });
});
