// C2SP signed-note (c2sp.org/signed-note; Go golang.org/x/mod/sumdb/note): text, a blank line,
// then `— <name> <base64(keyID || signature)>` lines. Invariant: openNote returns text only when a
// known key's signature over exactly that text verified, and no known key's signature failed.
import { decodeBase64Strict, encodeBase64 } from './base64.js';
import type { NoteSigner, NoteVerifier } from './note-key.js';
import { isValidKeyName } from './note-key.js';

/** c2sp.org/signed-note §Format: em dash (U+2014), space. */
export const SIGNATURE_PREFIX = '\u2014 ';
/** Go's limit; the spec requires accepting at least 16 (§Format). */
export const MAX_SIGNATURES = 100;

export interface NoteSignature {
  readonly name: string;
  readonly keyHash: number;
  /** base64(keyID || signature), as it appears on the line. */
  readonly base64: string;
}

export interface OpenedNote {
  readonly text: string;
  readonly sigs: readonly NoteSignature[];
  readonly unverifiedSigs: readonly NoteSignature[];
}

export type NoteError =
  | { readonly kind: 'malformed-note'; readonly detail: string }
  | { readonly kind: 'invalid-signature'; readonly name: string; readonly keyHash: number }
  | { readonly kind: 'ambiguous-key'; readonly name: string; readonly keyHash: number }
  | { readonly kind: 'unverified-note'; readonly note: OpenedNote };

export type OpenNoteResult = { readonly ok: true; readonly note: OpenedNote } | { readonly ok: false; readonly error: NoteError };

export class NoteFormatError extends Error {
  override readonly name = 'NoteFormatError';
}

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
// c2sp.org/signed-note §Format: no ASCII control characters (below U+0020) other than newline.
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 0x0a) return true;
  }
  return false;
}
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function malformed(detail: string): OpenNoteResult {
  return { ok: false, error: { kind: 'malformed-note', detail } };
}

/** Whether text may be signed: ends in a newline, valid Unicode, no control characters but newline. */
export function isValidNoteText(text: string): boolean {
  return text.endsWith('\n') && !hasControlCharacter(text) && !LONE_SURROGATE.test(text);
}

/** Signs text (which must end in a newline) with every signer: Go note.Sign with no prior signatures. */
export function signNote(text: string, signers: readonly NoteSigner[]): string {
  if (!isValidNoteText(text)) throw new NoteFormatError('note text must be valid, end in a newline and hold no control characters');
  if (signers.length === 0) throw new NoteFormatError('a note needs at least one signer');
  const message = utf8.encode(text);
  let lines = '';
  for (const s of signers) {
    if (!isValidKeyName(s.name)) throw new NoteFormatError('invalid signer name');
    const signature = s.sign(message); // c2sp.org/signed-note §Ed25519 signatures: over the note text
    const framed = new Uint8Array(4 + signature.length);
    new DataView(framed.buffer).setUint32(0, s.keyHash >>> 0, false); // key ID, big-endian (§Format)
    framed.set(signature, 4);
    lines += `${SIGNATURE_PREFIX}${s.name} ${encodeBase64(framed)}\n`;
  }
  return `${text}\n${lines}`;
}

/** Decodes bytes as a note: valid UTF-8 with no control characters but newline (§Format). */
function decodeNote(message: Uint8Array | string): string | undefined {
  let text: string;
  if (typeof message === 'string') {
    if (LONE_SURROGATE.test(message)) return undefined;
    text = message;
  } else {
    try {
      text = strictUtf8.decode(message);
    } catch (e) {
      if (e instanceof TypeError) return undefined; // invalid UTF-8
      throw e;
    }
  }
  return hasControlCharacter(text) ? undefined : text;
}

/** Opens a signed note, verifying the signatures of known keys (Go note.Open semantics). */
export function openNote(message: Uint8Array | string, known: readonly NoteVerifier[]): OpenNoteResult {
  const msg = decodeNote(message);
  if (msg === undefined) return malformed('not UTF-8 text without control characters');
  // §Format: the text is separated from the signatures by the last empty line.
  const split = msg.lastIndexOf('\n\n');
  if (split < 0) return malformed('no blank line before signatures');
  const text = msg.slice(0, split + 1);
  let sigs = msg.slice(split + 2);
  if (sigs.length === 0 || !sigs.endsWith('\n')) return malformed('signature block must be non-empty and end in a newline');

  const textBytes = utf8.encode(text);
  const verified: NoteSignature[] = [];
  const unverified: NoteSignature[] = [];
  const seen = new Set<string>();
  const seenUnverified = new Set<string>();
  let count = 0;
  while (sigs.length > 0) {
    const nl = sigs.indexOf('\n');
    const line = sigs.slice(0, nl);
    sigs = sigs.slice(nl + 1);
    if (!line.startsWith(SIGNATURE_PREFIX)) return malformed('signature line must start with an em dash and a space');
    const body = line.slice(SIGNATURE_PREFIX.length);
    const space = body.indexOf(' ');
    const name = space < 0 ? body : body.slice(0, space);
    const b64 = space < 0 ? '' : body.slice(space + 1);
    const raw = decodeBase64Strict(b64);
    if (raw === undefined || b64 === '' || !isValidKeyName(name) || raw.length < 5) return malformed('bad signature line');
    const keyHash = new DataView(raw.buffer, raw.byteOffset).getUint32(0, false);
    if (++count > MAX_SIGNATURES) return malformed('too many signatures');

    const id = `${name}+${keyHash}`;
    const candidates = known.filter((v) => v.name === name && v.keyHash === keyHash);
    if (candidates.length === 0) {
      // §Signatures: verifiers MUST ignore signatures from unknown keys.
      if (!seenUnverified.has(body)) unverified.push({ name, keyHash, base64: b64 });
      seenUnverified.add(body);
      continue;
    }
    if (candidates.length > 1) return { ok: false, error: { kind: 'ambiguous-key', name, keyHash } };
    if (seen.has(id)) continue; // drop repeated signatures by one key
    seen.add(id);
    // §Signatures: if a signature from a known key fails to verify, reject the whole note.
    if (!(candidates[0] as NoteVerifier).verify(textBytes, raw.subarray(4))) {
      return { ok: false, error: { kind: 'invalid-signature', name, keyHash } };
    }
    verified.push({ name, keyHash, base64: b64 });
  }
  const note: OpenedNote = { text, sigs: verified, unverifiedSigs: unverified };
  // §Signatures: if no signature from a known key verifies, clients MUST reject the note.
  if (verified.length === 0) return { ok: false, error: { kind: 'unverified-note', note } };
  return { ok: true, note };
}
