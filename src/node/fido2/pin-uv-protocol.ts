// PIN/UV auth protocols One and Two (CTAP 2.1 §6.5.6, §6.5.7): ECDH on P-256 with the
// authenticator's key-agreement key, then a KDF, encrypt/decrypt and authenticate.
// Protocol Two is what CTAP 2.1 keys prefer; One is kept for CTAP 2.0-only keys.
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
} from 'node:crypto';
import { VaultError } from '../../core/errors.js';
import { COSE_ALG, coseKeyToKeyObject, ec2KeyFromKeyObject, type CoseEc2Key } from './cose-key.js';

export type PinUvProtocolVersion = 1 | 2;

export interface SharedSecret {
  readonly protocol: PinUvProtocolVersion;
  /** Protocol 1: 32 bytes. Protocol 2: HMAC key (32) || AES key (32). */
  readonly secret: Uint8Array;
  /** Our ephemeral public key, sent as keyAgreement so the authenticator derives the same secret. */
  readonly platformKey: CoseEc2Key;
}

const ZERO_IV = new Uint8Array(16);

function aesCbc(mode: 'enc' | 'dec', key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  if (data.length % 16 !== 0) throw new VaultError('FIDO2_ERROR', 'Ciphertext is not block aligned.', { reason: 'pin-protocol' });
  const c = mode === 'enc' ? createCipheriv('aes-256-cbc', key, iv) : createDecipheriv('aes-256-cbc', key, iv);
  c.setAutoPadding(false); // CTAP inputs are block multiples; the spec uses no padding.
  return new Uint8Array(Buffer.concat([c.update(data), c.final()]));
}

/** encapsulate(peerCoseKey), §6.5.6 / §6.5.7: fresh ephemeral key, ECDH, then KDF. */
export function encapsulate(protocol: PinUvProtocolVersion, authenticatorKey: CoseEc2Key): SharedSecret {
  const peer = coseKeyToKeyObject(authenticatorKey);
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const z = diffieHellman({ privateKey, publicKey: peer }); // x-coordinate, 32 bytes
  return { protocol, secret: kdf(protocol, z), platformKey: ec2KeyFromKeyObject(publicKey, COSE_ALG.ECDH_ES_HKDF_256) };
}

export function kdf(protocol: PinUvProtocolVersion, z: Uint8Array): Uint8Array {
  if (protocol === 1) return new Uint8Array(createHash('sha256').update(z).digest()); // §6.5.6 kdf: SHA-256(Z)
  // §6.5.7 kdf: HKDF-SHA-256 with a 32-byte zero salt, two infos, concatenated.
  const salt = new Uint8Array(32);
  const hmacKey = new Uint8Array(hkdfSync('sha256', z, salt, 'CTAP2 HMAC key', 32));
  const aesKey = new Uint8Array(hkdfSync('sha256', z, salt, 'CTAP2 AES key', 32));
  return Buffer.concat([hmacKey, aesKey]);
}

export function encrypt(shared: SharedSecret, plaintext: Uint8Array): Uint8Array {
  if (shared.protocol === 1) return aesCbc('enc', shared.secret, ZERO_IV, plaintext); // §6.5.6: IV = 0
  const iv = randomBytes(16); // §6.5.7: random IV, prepended to the ciphertext
  return Buffer.concat([iv, aesCbc('enc', shared.secret.subarray(32, 64), iv, plaintext)]);
}

export function decrypt(shared: SharedSecret, ciphertext: Uint8Array): Uint8Array {
  if (shared.protocol === 1) return aesCbc('dec', shared.secret, ZERO_IV, ciphertext);
  if (ciphertext.length < 16) throw new VaultError('FIDO2_ERROR', 'Ciphertext too short.', { reason: 'pin-protocol' });
  return aesCbc('dec', shared.secret.subarray(32, 64), ciphertext.subarray(0, 16), ciphertext.subarray(16));
}

/**
 * authenticate(key, message): protocol 1 truncates HMAC-SHA-256 to 16 bytes; protocol 2 keeps
 * all 32 and, when handed the 64-byte shared secret, uses its first half (the HMAC key).
 */
export function authenticate(protocol: PinUvProtocolVersion, key: Uint8Array, message: Uint8Array): Uint8Array {
  const k = protocol === 2 ? key.subarray(0, 32) : key;
  const mac = new Uint8Array(createHmac('sha256', k).update(message).digest());
  return protocol === 1 ? mac.subarray(0, 16) : mac;
}
