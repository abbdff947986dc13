// RFC 8785 JSON Canonicalization Scheme (JCS), used for audit leaves. Invariant: only values that
// survive a JSON round trip unchanged are accepted — anything JSON cannot represent exactly
// (undefined, functions, symbols, bigint, NaN/Infinity, lone surrogates, Dates, Maps, class
// instances, cycles) is refused loudly instead of being silently dropped or coerced.
import canonicalizeModule from 'canonicalize';

// `canonicalize` is CommonJS (`module.exports = fn`) but typed as an ES default export, so under
// NodeNext the types say `{ default: fn }` while Node hands us fn itself. Accept either shape.
type Serialize = (input: unknown) => string | undefined;
const serialize: Serialize = typeof canonicalizeModule === 'function' ? canonicalizeModule : canonicalizeModule.default;

export class CanonicalJsonError extends Error {
  override readonly name = 'CanonicalJsonError';
}

/** JSON values that RFC 8785 can represent exactly. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

// RFC 8785 §3.1 builds on I-JSON (RFC 7493 §2.1): strings MUST NOT contain lone surrogates.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function check(value: unknown, path: string, seen: Set<object>): void {
  if (value === null || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    // RFC 8785 §3.2.2.3: NaN and Infinity are not JSON numbers.
    if (!Number.isFinite(value)) throw new CanonicalJsonError(`${path}: non-finite number`);
    return;
  }
  if (typeof value === 'string') {
    if (LONE_SURROGATE.test(value)) throw new CanonicalJsonError(`${path}: lone surrogate in string`);
    return;
  }
  if (typeof value !== 'object') throw new CanonicalJsonError(`${path}: ${typeof value} is not JSON`);
  if (seen.has(value)) throw new CanonicalJsonError(`${path}: cycle`);
  seen.add(value);
  if (Array.isArray(value)) {
    value.forEach((v: unknown, i) => check(v, `${path}[${i}]`, seen));
  } else {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) throw new CanonicalJsonError(`${path}: not a plain object`);
    if (Object.getOwnPropertySymbols(value).length > 0) throw new CanonicalJsonError(`${path}: symbol keys`);
    for (const [k, v] of Object.entries(value)) {
      if (LONE_SURROGATE.test(k)) throw new CanonicalJsonError(`${path}: lone surrogate in key`);
      check(v, `${path}.${k}`, seen);
    }
  }
  seen.delete(value);
}

/** RFC 8785 canonical form of value as a string (keys sorted by UTF-16 code units, §3.2.3). */
export function canonicalJson(value: unknown): string {
  check(value, '$', new Set());
  const out = serialize(value); // RFC 8785 §3.2: the `canonicalize` package implements the serialization
  if (out === undefined) throw new CanonicalJsonError('$: value has no JSON form');
  return out;
}

/** RFC 8785 canonical form of value as UTF-8 bytes — what the audit log hashes as a leaf. */
export function canonicalJsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalJson(value));
}

/** Whether text is exactly the RFC 8785 canonical serialization of the JSON it encodes. */
export function isCanonicalJson(text: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    if (e instanceof SyntaxError) return false;
    throw e;
  }
  try {
    return canonicalJson(parsed) === text;
  } catch (e) {
    if (e instanceof CanonicalJsonError) return false;
    throw e;
  }
}
