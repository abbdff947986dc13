// Authenticator-side CBOR for the test key. Written separately from src/node/fido2/ctap2-cbor.ts
// on purpose: the key checks the host's bytes are CTAP2-canonical with its own rules, so a bug
// in the host encoder cannot be mirrored here and pass unnoticed.
import { Encoder } from 'cbor-x';

const codec = new Encoder({ useRecords: false, variableMapSize: true, mapsAsObjects: false, tagUint8Array: false });

export function softEncode(value: unknown): Uint8Array {
  return new Uint8Array(codec.encode(sortMaps(value)));
}

export function softDecode(bytes: Uint8Array): unknown {
  return codec.decode(bytes) as unknown;
}

/** CTAP 2.1 §8 canonical: keys by major type, then encoded length, then bytes. */
function sortMaps(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortMaps);
  if (!(value instanceof Map)) return value;
  const keyed = [...(value as Map<unknown, unknown>).entries()].map(([k, v]) => ({ k, v, e: new Uint8Array(codec.encode(k)) }));
  keyed.sort((a, b) => {
    const ma = a.e[0]! >> 5;
    const mb = b.e[0]! >> 5;
    if (ma !== mb) return ma - mb;
    if (a.e.length !== b.e.length) return a.e.length - b.e.length;
    return Buffer.compare(Buffer.from(a.e), Buffer.from(b.e));
  });
  return new Map(keyed.map(({ k, v }) => [k, sortMaps(v)]));
}

/** True when `bytes` is exactly how the canonical form encodes its own decoding. */
export function isCanonical(bytes: Uint8Array): boolean {
  try {
    return Buffer.from(softEncode(softDecode(bytes))).equals(Buffer.from(bytes));
  } catch {
    return false;
  }
}

export function mapOf(v: unknown): Map<unknown, unknown> | undefined {
  return v instanceof Map ? (v as Map<unknown, unknown>) : undefined;
}

export function bytesOf(v: unknown): Uint8Array | undefined {
  return v instanceof Uint8Array ? v : undefined;
}
