// CBOR for CTAP2. cbor-x's defaults are wrong for authenticators (tag 259 on Maps, tag 64 on
// Uint8Array, map16 headers for tiny maps, string keys for integer keys), so one configured
// Encoder is used for both directions and maps are sorted into CTAP2 canonical order.
import { Encoder } from 'cbor-x';
import { VaultError } from '../../core/errors.js';

const codec = new Encoder({ useRecords: false, variableMapSize: true, mapsAsObjects: false, tagUint8Array: false });

export type CborValue =
  | number
  | string
  | boolean
  | null
  | Uint8Array
  | readonly CborValue[]
  | ReadonlyMap<number | string, CborValue>
  | { readonly [key: string]: CborValue | undefined };

function isPlainObject(v: unknown): v is { readonly [key: string]: CborValue | undefined } {
  return typeof v === 'object' && v !== null && !(v instanceof Uint8Array) && !(v instanceof Map) && !Array.isArray(v);
}

/**
 * CTAP 2.1 §8 "CTAP2 canonical CBOR encoding form": map keys sorted by major type, then by
 * encoded length, then bytewise; definite lengths; no tags. Integer keys therefore come out
 * as 1, 2, 3, -1, -2 (COSE) and text keys shorter-first.
 */
function canonicalize(value: CborValue): unknown {
  if (value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return value.map((v: CborValue) => canonicalize(v));
  const entries: [number | string, CborValue][] = [];
  if (value instanceof Map) {
    for (const [k, v] of value as ReadonlyMap<number | string, CborValue>) entries.push([k, v]);
  } else if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) if (v !== undefined) entries.push([k, v]);
  } else {
    return value;
  }
  const keyed = entries.map(([k, v]) => ({ k, v, enc: codec.encode(k) as Uint8Array }));
  keyed.sort((a, b) => compareKeys(a.enc, b.enc));
  for (let i = 1; i < keyed.length; i++) {
    if (compareKeys(keyed[i - 1]!.enc, keyed[i]!.enc) === 0) throw new VaultError('INVALID_INPUT', 'Duplicate CBOR map key.');
  }
  return new Map(keyed.map(({ k, v }) => [k, canonicalize(v)]));
}

function compareKeys(a: Uint8Array, b: Uint8Array): number {
  const major = (a[0]! >> 5) - (b[0]! >> 5);
  if (major !== 0) return major;
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

export function encodeCanonical(value: CborValue): Uint8Array {
  return new Uint8Array(codec.encode(canonicalize(value)));
}

/** Decode exactly one CBOR item; trailing bytes or garbage become FIDO2_ERROR, never a crash. */
export function decodeCbor(bytes: Uint8Array): unknown {
  try {
    return codec.decode(bytes) as unknown;
  } catch (e) {
    throw new VaultError('FIDO2_ERROR', 'The hardware key sent malformed CBOR.', {
      reason: 'cbor',
      cause: e instanceof Error ? e.message : 'unknown',
    });
  }
}

/**
 * Length in bytes of the CBOR item at `offset`. authenticatorData embeds a COSE key followed
 * by an extensions map with no length prefix (WebAuthn §6.1), so we must measure the item.
 */
export function cborItemLength(bytes: Uint8Array, offset = 0): number {
  const fail = (): never => {
    throw new VaultError('FIDO2_ERROR', 'Truncated CBOR in authenticator data.', { reason: 'cbor' });
  };
  const walk = (pos: number): number => {
    if (pos >= bytes.length) fail();
    const initial = bytes[pos]!;
    const major = initial >> 5;
    const info = initial & 0x1f;
    let arg = info;
    let p = pos + 1;
    if (info >= 24 && info <= 27) {
      const size = 1 << (info - 24);
      if (p + size > bytes.length) fail();
      arg = 0;
      for (let i = 0; i < size; i++) arg = arg * 256 + bytes[p + i]!;
      p += size;
    } else if (info > 27) {
      // Indefinite lengths are not CTAP2 canonical (§8); reject instead of guessing.
      fail();
    }
    switch (major) {
      case 0:
      case 1:
      case 7:
        return p;
      case 2:
      case 3:
        if (p + arg > bytes.length) fail();
        return p + arg;
      case 4:
        for (let i = 0; i < arg; i++) p = walk(p);
        return p;
      case 5:
        for (let i = 0; i < arg * 2; i++) p = walk(p);
        return p;
      default: // major 6, tags: CTAP2 canonical form has none
        return walk(p);
    }
  };
  return walk(offset) - offset;
}
