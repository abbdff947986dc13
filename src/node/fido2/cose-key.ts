// COSE_Key (RFC 9052 §7, RFC 9053) for the credential public keys we accept and for the
// ECDH key-agreement key of ClientPIN. Parsed with explicit guards: the bytes come from a device.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { VaultError } from '../../core/errors.js';
import { decodeCbor, encodeCanonical } from './ctap2-cbor.js';

export const COSE_ALG = { ES256: -7, EdDSA: -8, ECDH_ES_HKDF_256: -25 } as const;

export interface CoseEc2Key {
  readonly kty: 2;
  readonly alg: number;
  readonly crv: 1; // P-256
  readonly x: Uint8Array;
  readonly y: Uint8Array;
}
export interface CoseOkpKey {
  readonly kty: 1;
  readonly alg: -8;
  readonly crv: 6; // Ed25519
  readonly x: Uint8Array;
}
export type CoseKey = CoseEc2Key | CoseOkpKey;

function bad(message: string): VaultError {
  return new VaultError('FIDO2_ERROR', `Unsupported COSE key: ${message}`, { reason: 'cose' });
}

function bytes(v: unknown, len: number, what: string): Uint8Array {
  if (!(v instanceof Uint8Array) || v.length !== len) throw bad(`${what} must be ${len} bytes`);
  return new Uint8Array(v);
}

/** Accepts a decoded COSE map (integer labels) or its CBOR encoding. */
export function parseCoseKey(input: unknown): CoseKey {
  const map = input instanceof Uint8Array ? decodeCbor(input) : input;
  if (!(map instanceof Map)) throw bad('not a map');
  const kty: unknown = map.get(1);
  const alg: unknown = map.get(3);
  const crv: unknown = map.get(-1);
  if (kty === 2 && crv === 1 && typeof alg === 'number') {
    return { kty: 2, alg, crv: 1, x: bytes(map.get(-2), 32, 'x'), y: bytes(map.get(-3), 32, 'y') };
  }
  if (kty === 1 && crv === 6 && alg === COSE_ALG.EdDSA) {
    return { kty: 1, alg: -8, crv: 6, x: bytes(map.get(-2), 32, 'x') };
  }
  throw bad(`kty ${String(kty)} crv ${String(crv)} alg ${String(alg)}`);
}

export function coseKeyToMap(key: CoseKey): Map<number, number | Uint8Array> {
  return key.kty === 2
    ? new Map<number, number | Uint8Array>([
        [1, 2],
        [3, key.alg],
        [-1, 1],
        [-2, key.x],
        [-3, key.y],
      ])
    : new Map<number, number | Uint8Array>([
        [1, 1],
        [3, -8],
        [-1, 6],
        [-2, key.x],
      ]);
}

export function encodeCoseKey(key: CoseKey): Uint8Array {
  return encodeCanonical(coseKeyToMap(key));
}

/** node:crypto KeyObject via JWK; also validates that an EC point is on the curve. */
export function coseKeyToKeyObject(key: CoseKey): KeyObject {
  const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64url');
  try {
    return key.kty === 2
      ? createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: b64(key.x), y: b64(key.y) }, format: 'jwk' })
      : createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64(key.x) }, format: 'jwk' });
  } catch {
    throw bad('point is not on the curve');
  }
}

/** The reverse, for our own ephemeral ECDH keys. */
export function ec2KeyFromKeyObject(key: KeyObject, alg: number): CoseEc2Key {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || jwk.x === undefined || jwk.y === undefined) throw bad('not a P-256 key');
  return { kty: 2, alg, crv: 1, x: Buffer.from(jwk.x, 'base64url'), y: Buffer.from(jwk.y, 'base64url') };
}
