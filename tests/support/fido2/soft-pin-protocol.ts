// Authenticator side of PIN/UV auth protocols One and Two (CTAP 2.1 §6.5.6, §6.5.7), kept
// independent of the host implementation so the two sides check each other.
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';

export type SoftProtocol = 1 | 2;

export class SoftKeyAgreement {
  private keyPair = generateKeyPairSync('ec', { namedCurve: 'P-256' });

  /** regenerate(): a fresh key agreement key (power-up and after a PIN mismatch). */
  regenerate(): void {
    this.keyPair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  }

  /** getPublicKey() as a COSE_Key with alg -25 (ECDH-ES+HKDF-256), integer labels in canonical order. */
  coseKey(): Map<number, number | Uint8Array> {
    const jwk = this.keyPair.publicKey.export({ format: 'jwk' });
    return new Map<number, number | Uint8Array>([
      [1, 2],
      [3, -25],
      [-1, 1],
      [-2, Buffer.from(jwk.x ?? '', 'base64url')],
      [-3, Buffer.from(jwk.y ?? '', 'base64url')],
    ]);
  }

  /** decapsulate(peerCoseKey): ECDH with the platform key, then the protocol's KDF. */
  sharedSecret(protocol: SoftProtocol, platformKey: Map<unknown, unknown>): Uint8Array | undefined {
    const x = platformKey.get(-2);
    const y = platformKey.get(-3);
    if (!(x instanceof Uint8Array) || !(y instanceof Uint8Array) || platformKey.get(1) !== 2) return undefined;
    let peer: KeyObject;
    try {
      peer = createPublicKey({
        key: { kty: 'EC', crv: 'P-256', x: Buffer.from(x).toString('base64url'), y: Buffer.from(y).toString('base64url') },
        format: 'jwk',
      });
    } catch {
      return undefined;
    }
    const z = diffieHellman({ privateKey: this.keyPair.privateKey, publicKey: peer });
    if (protocol === 1) return createHash('sha256').update(z).digest();
    const zeros = Buffer.alloc(32);
    return Buffer.concat([
      Buffer.from(hkdfSync('sha256', z, zeros, 'CTAP2 HMAC key', 32)),
      Buffer.from(hkdfSync('sha256', z, zeros, 'CTAP2 AES key', 32)),
    ]);
  }
}

function cbc(encrypt: boolean, key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  const c = encrypt ? createCipheriv('aes-256-cbc', key, iv) : createDecipheriv('aes-256-cbc', key, iv);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(data), c.final()]);
}

export function softEncrypt(protocol: SoftProtocol, secret: Uint8Array, plain: Uint8Array): Uint8Array {
  if (protocol === 1) return cbc(true, secret, Buffer.alloc(16), plain);
  const iv = randomBytes(16);
  return Buffer.concat([iv, cbc(true, secret.subarray(32), iv, plain)]);
}

export function softDecrypt(protocol: SoftProtocol, secret: Uint8Array, data: Uint8Array): Uint8Array | undefined {
  if (data.length % 16 !== 0) return undefined;
  if (protocol === 1) return cbc(false, secret, Buffer.alloc(16), data);
  if (data.length < 32) return undefined;
  return cbc(false, secret.subarray(32), data.subarray(0, 16), data.subarray(16));
}

/** verify(key, message, signature) per protocol: 16-byte MAC for One, 32-byte for Two. */
export function softVerify(protocol: SoftProtocol, key: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  const k = protocol === 2 ? key.subarray(0, 32) : key;
  const full = createHmac('sha256', k).update(message).digest();
  const mac = protocol === 1 ? full.subarray(0, 16) : full;
  return signature.length === mac.length && timingSafeEqual(mac, signature);
}
