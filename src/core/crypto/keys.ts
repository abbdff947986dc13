// Key material helpers. Keys are Buffers we own so they can be zeroed after use; JavaScript
// cannot guarantee no copies exist (GC moves), so zeroing narrows exposure rather than ending it.
import { createHash, hkdfSync, timingSafeEqual } from 'node:crypto';
import { randomBytesPooled } from './random.js';
import { KEY_BYTES } from './aead.js';

export function randomKey(): Buffer {
  return randomBytesPooled(KEY_BYTES);
}

export function zeroize(...buffers: (Uint8Array | undefined | null)[]): void {
  for (const b of buffers) b?.fill(0);
}

/** RFC 5869 HKDF-SHA-256 to a 32-byte key. */
export function hkdfKey(ikm: Uint8Array, salt: Uint8Array, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from(info, 'utf8'), KEY_BYTES));
}

export function sha256(data: Uint8Array | string): Buffer {
  return createHash('sha256').update(data).digest();
}

export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Short, non-secret fingerprint of a key (first 8 bytes of SHA-256, hex) for audit events. */
export function keyFingerprint(key: Uint8Array): string {
  return createHash('sha256').update('memory-vault key fingerprint v1\n').update(key).digest('hex').slice(0, 16);
}
