// C2SP signed-note Ed25519 keys and their text encodings (c2sp.org/signed-note §Signatures,
// Go golang.org/x/mod/sumdb/note). Invariant: a verifier or signer exists only if its encoded key
// hash matches SHA-256(name || 0x0A || 0x01 || public key)[:4], so a mangled key is refused.
import { createHash } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { decodeBase64Strict, encodeBase64 } from './base64.js';
import {
  ED25519_KEY_SIZE,
  ed25519Generate,
  ed25519PrivateKeyObject,
  ed25519PublicKeyObject,
  ed25519PublicKeyOf,
  ed25519Sign,
  ed25519Verify,
} from './ed25519.js';

/** Signature type identifier byte for Ed25519 (c2sp.org/signed-note §Signature types: 0x01). */
export const ALG_ED25519 = 0x01;

export interface NoteVerifier {
  readonly name: string;
  /** The 32-bit key ID, big-endian, as it appears in the first 4 bytes of each signature. */
  readonly keyHash: number;
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

export interface NoteSigner {
  readonly name: string;
  readonly keyHash: number;
  sign(message: Uint8Array): Uint8Array;
}

export type NoteKeyError = 'malformed-key' | 'unknown-algorithm' | 'key-hash-mismatch';
export type NoteKeyResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: NoteKeyError };

// Go unicode.IsSpace is the Unicode White_Space property.
const UNICODE_SPACE = /\p{White_Space}/u;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** c2sp.org/signed-note §Format: key names are non-empty, without Unicode spaces or '+'. */
export function isValidKeyName(name: string): boolean {
  return name !== '' && !UNICODE_SPACE.test(name) && !name.includes('+') && !LONE_SURROGATE.test(name);
}

/** key ID = SHA-256(key name || 0x0A || signature type || public key)[:4] — c2sp.org/signed-note §Signatures. */
export function noteKeyHash(name: string, typedKey: Uint8Array): number {
  const sum = createHash('sha256').update(name, 'utf8').update('\n').update(typedKey).digest();
  return sum.readUInt32BE(0);
}

function hex8(hash: number): string {
  return hash.toString(16).padStart(8, '0');
}

// Go's chop: split at the first sep; without one, everything is `before`.
function chop(s: string, sep: string): [string, string] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + sep.length)];
}

function parseHash8(text: string): number | undefined {
  return /^[0-9a-fA-F]{8}$/.test(text) ? Number.parseInt(text, 16) : undefined;
}

/** The verifier key string `name+hex8(keyID)+base64(0x01 || publicKey)`. */
export function encodeVerifierKey(name: string, publicKey: Uint8Array): string {
  if (!isValidKeyName(name)) throw new RangeError('invalid note key name');
  if (publicKey.length !== ED25519_KEY_SIZE) throw new RangeError('Ed25519 public key must be 32 bytes');
  const typed = new Uint8Array([ALG_ED25519, ...publicKey]);
  return `${name}+${hex8(noteKeyHash(name, typed))}+${encodeBase64(typed)}`;
}

/** The signer key string `PRIVATE+KEY+name+hex8(keyID)+base64(0x01 || seed)`. Secret. */
export function encodeSignerKey(name: string, seed: Uint8Array): string {
  if (!isValidKeyName(name)) throw new RangeError('invalid note key name');
  const publicKey = ed25519PublicKeyOf(ed25519PrivateKeyObject(seed));
  const hash = noteKeyHash(name, new Uint8Array([ALG_ED25519, ...publicKey]));
  return `PRIVATE+KEY+${name}+${hex8(hash)}+${encodeBase64(new Uint8Array([ALG_ED25519, ...seed]))}`;
}

/** A fresh Ed25519 note key pair for name. */
export function generateNoteKey(name: string): { readonly signerKey: string; readonly verifierKey: string } {
  const { seed, publicKey } = ed25519Generate();
  return { signerKey: encodeSignerKey(name, seed), verifierKey: encodeVerifierKey(name, publicKey) };
}

/** Parses a verifier key string (Go note.NewVerifier); never throws on bad input. */
export function parseVerifierKey(vkey: string): NoteKeyResult<NoteVerifier> {
  const [name, rest] = chop(vkey, '+');
  const [hash16, key64] = chop(rest, '+');
  const hash = parseHash8(hash16);
  const typed = decodeBase64Strict(key64);
  if (hash === undefined || typed === undefined || !isValidKeyName(name) || typed.length === 0)
    return { ok: false, error: 'malformed-key' };
  if (hash !== noteKeyHash(name, typed)) return { ok: false, error: 'key-hash-mismatch' };
  if (typed[0] !== ALG_ED25519) return { ok: false, error: 'unknown-algorithm' };
  if (typed.length !== 1 + ED25519_KEY_SIZE) return { ok: false, error: 'malformed-key' };
  const publicKey: KeyObject = ed25519PublicKeyObject(typed.subarray(1));
  return { ok: true, value: { name, keyHash: hash, verify: (msg, sig) => ed25519Verify(publicKey, msg, sig) } };
}

/** A signer that also knows its public verifier key string. */
export interface ParsedNoteSigner extends NoteSigner {
  readonly verifierKey: string;
}

/** Parses a signer key string (Go note.NewSigner), checking the hash against the derived public key. */
export function parseSignerKey(skey: string): NoteKeyResult<ParsedNoteSigner> {
  const [priv1, r1] = chop(skey, '+');
  const [priv2, r2] = chop(r1, '+');
  const [name, r3] = chop(r2, '+');
  const [hash16, key64] = chop(r3, '+');
  const hash = parseHash8(hash16);
  const typed = decodeBase64Strict(key64);
  if (priv1 !== 'PRIVATE' || priv2 !== 'KEY' || hash === undefined || typed === undefined || !isValidKeyName(name) || typed.length === 0) {
    return { ok: false, error: 'malformed-key' };
  }
  if (typed[0] !== ALG_ED25519) return { ok: false, error: 'unknown-algorithm' };
  if (typed.length !== 1 + ED25519_KEY_SIZE) return { ok: false, error: 'malformed-key' };
  const privateKey = ed25519PrivateKeyObject(typed.subarray(1));
  const publicKey = ed25519PublicKeyOf(privateKey);
  // The hash names the public key, so it can only be checked after deriving it from the seed.
  if (hash !== noteKeyHash(name, new Uint8Array([ALG_ED25519, ...publicKey]))) return { ok: false, error: 'key-hash-mismatch' };
  const verifierKey = encodeVerifierKey(name, publicKey);
  return { ok: true, value: { name, keyHash: hash, verifierKey, sign: (msg) => ed25519Sign(privateKey, msg) } };
}
