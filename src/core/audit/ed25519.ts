// Ed25519 (RFC 8032) through node:crypto, from raw 32-byte keys. node:crypto only imports keys in
// DER containers, so the raw key is wrapped in the fixed RFC 8410 prefix for its algorithm.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

// RFC 8410 §7: SubjectPublicKeyInfo { id-Ed25519 (1.3.101.112), BIT STRING (32 bytes) }.
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
// RFC 8410 §7: OneAsymmetricKey v0 { id-Ed25519, OCTET STRING { OCTET STRING (32-byte seed) } }.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export const ED25519_KEY_SIZE = 32;
export const ED25519_SIGNATURE_SIZE = 64;

export function ed25519PublicKeyObject(publicKey: Uint8Array): KeyObject {
  if (publicKey.length !== ED25519_KEY_SIZE) throw new RangeError('Ed25519 public key must be 32 bytes');
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
}

export function ed25519PrivateKeyObject(seed: Uint8Array): KeyObject {
  if (seed.length !== ED25519_KEY_SIZE) throw new RangeError('Ed25519 seed must be 32 bytes');
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

/** The 32-byte public key A of a private key (RFC 8032 §5.1.5). */
export function ed25519PublicKeyOf(privateKey: KeyObject): Uint8Array {
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return new Uint8Array(spki.subarray(SPKI_PREFIX.length));
}

/** A fresh key pair; the seed is the 32-byte private key of RFC 8032 §5.1.5. */
export function ed25519Generate(): { readonly seed: Uint8Array; readonly publicKey: Uint8Array } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  return { seed: new Uint8Array(pkcs8.subarray(PKCS8_PREFIX.length)), publicKey: new Uint8Array(spki.subarray(SPKI_PREFIX.length)) };
}

export function ed25519Sign(privateKey: KeyObject, message: Uint8Array): Uint8Array {
  return new Uint8Array(sign(null, message, privateKey)); // RFC 8032 §5.1.6 (pure Ed25519: no prehash)
}

export function ed25519Verify(publicKey: KeyObject, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== ED25519_SIGNATURE_SIZE) return false;
  return verify(null, message, publicKey, signature); // RFC 8032 §5.1.7
}
