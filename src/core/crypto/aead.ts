// Invariant: content and keys are sealed with AES-256-GCM (NIST SP 800-38D) under a fresh 96-bit
// random nonce per message, and every envelope authenticates its associated data; any change of
// version, nonce, ciphertext, tag or associated data makes `openEnvelope` throw INTEGRITY_FAILURE.
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { randomBytesPooled } from './random.js';
import { VaultError } from '../errors.js';

/** Envelope layout: version (1) || nonce (12) || ciphertext (n) || tag (16). */
export const ENVELOPE_VERSION = 0x01;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + NONCE_BYTES;
export const ENVELOPE_OVERHEAD = HEADER_BYTES + TAG_BYTES;
export const KEY_BYTES = 32;

function assertKey(key: Uint8Array): void {
  if (key.length !== KEY_BYTES) throw new Error(`AES-256-GCM needs a 32-byte key, got ${key.length}`);
}

export function sealEnvelope(key: Uint8Array, plaintext: Uint8Array, associatedData: Uint8Array): Buffer {
  assertKey(key);
  const nonce = randomBytesPooled(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData);
  const body = cipher.update(plaintext);
  const final = cipher.final();
  const tag = cipher.getAuthTag();
  const out = Buffer.allocUnsafe(HEADER_BYTES + body.length + final.length + TAG_BYTES);
  out[0] = ENVELOPE_VERSION;
  nonce.copy(out, 1);
  body.copy(out, HEADER_BYTES);
  final.copy(out, HEADER_BYTES + body.length);
  tag.copy(out, HEADER_BYTES + body.length + final.length);
  return out;
}

export function openEnvelope(key: Uint8Array, envelope: Uint8Array, associatedData: Uint8Array): Buffer {
  assertKey(key);
  if (envelope.length < ENVELOPE_OVERHEAD || envelope[0] !== ENVELOPE_VERSION) {
    throw new VaultError('INTEGRITY_FAILURE', 'The sealed data is malformed.');
  }
  const buf = Buffer.from(envelope.buffer, envelope.byteOffset, envelope.byteLength);
  const nonce = buf.subarray(1, HEADER_BYTES);
  const tag = buf.subarray(buf.length - TAG_BYTES);
  const body = buf.subarray(HEADER_BYTES, buf.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(associatedData);
  decipher.setAuthTag(tag);
  try {
    const head = decipher.update(body);
    const tail = decipher.final();
    return tail.length === 0 ? head : Buffer.concat([head, tail]);
  } catch {
    throw new VaultError('INTEGRITY_FAILURE', 'The sealed data failed authentication.');
  }
}
