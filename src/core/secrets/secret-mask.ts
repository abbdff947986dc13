// Masking resolved secrets in a child's output. Invariant: for any split of a byte stream into
// chunks, no occurrence of a secret or of one of its encodings (maskPatternsOf) that is present in
// the input reaches the output — `push` emits only bytes that no pattern can still start in
// (it holds back at most maxPatternLength − 1 bytes) and `flush` finishes the rest. Output without
// any pattern passes through byte for byte. What masking cannot stop (a child that sends its own
// environment elsewhere, or transforms the value) is in docs/SECRETS.md.
// Hand-written: the Node ecosystem has log redactors over strings and objects, none that masks
// byte streams across chunk boundaries with the encodings below.
import { VaultError } from '../errors.js';

/**
 * Values shorter than this are refused for use: masking a 1–3 byte value would replace every
 * occurrence of those bytes in ordinary output (and such a value is guessable anyway).
 */
export const MIN_SECRET_BYTES = 4;
/** Shifted base64 cores shorter than this are not masked: too short to be told from chance. */
const MIN_SHIFTED_CORE = 8;
export const SECRET_MASK = '<concealed by memory-vault>';

/** The value a use must be able to mask: the bytes without trailing whitespace (an `echo`ed secret's newline). */
export function maskableCore(value: Uint8Array): Buffer {
  const b = Buffer.from(value);
  let end = b.length;
  while (end > 0 && (b[end - 1] === 0x20 || b[end - 1] === 0x09 || b[end - 1] === 0x0a || b[end - 1] === 0x0d)) end--;
  return b.subarray(0, end);
}

/** Whether `value` is long enough to be masked (its trimmed core has ≥ MIN_SECRET_BYTES). */
export function isMaskable(value: Uint8Array): boolean {
  return maskableCore(value).length >= MIN_SECRET_BYTES;
}

const toUrlSafe = (b64: string) => b64.replace(/\+/g, '-').replace(/\//g, '_');
const unpad = (b64: string) => b64.replace(/=+$/, '');

/** The characters each common percent-encoder leaves literal. */
const RFC3986_KEEP = /[A-Za-z0-9\-._~]/;
const URI_COMPONENT_KEEP = /[A-Za-z0-9\-_.!~*'()]/; // encodeURIComponent
const FORM_KEEP = /[A-Za-z0-9*\-._]/; // application/x-www-form-urlencoded (URLSearchParams)

/** Percent-encoding of every byte that `keep` does not leave literal (bytes ≥ 0x80 always encoded). */
function percentEncode(bytes: Buffer, keep: RegExp, upper: boolean, spaceAsPlus: boolean): string {
  let out = '';
  for (const b of bytes) {
    const c = String.fromCharCode(b);
    if (b < 0x80 && keep.test(c)) out += c;
    else if (spaceAsPlus && b === 0x20) out += '+';
    else {
      const h = b.toString(16).padStart(2, '0');
      out += `%${upper ? h.toUpperCase() : h}`;
    }
  }
  return out;
}

/**
 * The base64 characters that depend only on the secret when it sits at byte offset `shift`
 * (0, 1, 2 mod 3) inside a longer encoded text — e.g. `Basic base64(user:password)`.
 */
function shiftedBase64Core(value: Buffer, shift: 1 | 2): string {
  const padded = Buffer.concat([Buffer.alloc(shift), value]);
  const b64 = padded.toString('base64');
  // Character i covers bits [6i, 6i+6); the secret covers bits [8·shift, 8·(shift+n)).
  const first = Math.ceil((8 * shift) / 6);
  const last = Math.floor((8 * (shift + value.length)) / 6); // exclusive
  return b64.slice(first, last);
}

/** Every form of `value` the masker replaces: raw, trimmed, base64 (std/url, ±padding, shifted), percent-encoded, hex, JSON-escaped. */
export function maskPatternsOf(value: Uint8Array): Buffer[] {
  const raw = Buffer.from(value);
  const forms = new Set<string>();
  const out: Buffer[] = [];
  const add = (b: Buffer) => {
    const key = b.toString('latin1');
    if (b.length === 0 || forms.has(key)) return;
    forms.add(key);
    out.push(b);
  };
  const core = maskableCore(raw);
  for (const v of core.length === raw.length ? [raw] : [raw, core]) {
    add(v);
    const b64 = v.toString('base64');
    for (const s of [b64, unpad(b64), toUrlSafe(b64), unpad(toUrlSafe(b64))]) add(Buffer.from(s, 'latin1'));
    if (v.length >= MIN_SHIFTED_CORE) {
      for (const shift of [1, 2] as const) {
        const c = shiftedBase64Core(v, shift);
        if (c.length >= MIN_SHIFTED_CORE) {
          add(Buffer.from(c, 'latin1'));
          add(Buffer.from(toUrlSafe(c), 'latin1'));
        }
      }
      // The unshifted core too: the secret followed by more bytes changes the last characters.
      const c0 = b64.slice(0, Math.floor((8 * v.length) / 6));
      if (c0.length >= MIN_SHIFTED_CORE) {
        add(Buffer.from(c0, 'latin1'));
        add(Buffer.from(toUrlSafe(c0), 'latin1'));
      }
    }
    for (const upper of [true, false]) {
      add(Buffer.from(percentEncode(v, RFC3986_KEEP, upper, false), 'latin1'));
      add(Buffer.from(percentEncode(v, URI_COMPONENT_KEEP, upper, false), 'latin1'));
      add(Buffer.from(percentEncode(v, FORM_KEEP, upper, true), 'latin1'));
    }
    add(Buffer.from(v.toString('hex'), 'latin1'));
    add(Buffer.from(v.toString('hex').toUpperCase(), 'latin1'));
    const text = v.toString('utf8');
    if (Buffer.from(text, 'utf8').equals(v)) add(Buffer.from(JSON.stringify(text).slice(1, -1), 'utf8'));
  }
  return out;
}

/** A streaming masker for a fixed set of secret values. */
export class SecretMasker {
  private readonly byFirstByte = new Map<number, Buffer[]>();
  private readonly maxLen: number;
  private readonly mask: Buffer;
  private held: Buffer = Buffer.alloc(0);

  /** SECRET_UNMASKABLE when a value is shorter than MIN_SECRET_BYTES (after trailing whitespace). */
  constructor(values: readonly Uint8Array[], mask: string = SECRET_MASK) {
    this.mask = Buffer.from(mask, 'utf8');
    let maxLen = 1;
    for (const v of values) {
      if (!isMaskable(v))
        throw new VaultError('SECRET_UNMASKABLE', `A secret shorter than ${MIN_SECRET_BYTES} bytes cannot be masked; it was not used.`);
      for (const p of maskPatternsOf(v)) {
        const first = p[0];
        if (first === undefined) continue;
        const list = this.byFirstByte.get(first) ?? [];
        list.push(p);
        this.byFirstByte.set(first, list);
        maxLen = Math.max(maxLen, p.length);
      }
    }
    // Longest first, so at one position the longest pattern wins (a secret that contains another).
    for (const list of this.byFirstByte.values()) list.sort((a, b) => b.length - a.length);
    this.maxLen = maxLen;
  }

  /** The longest pattern: push() holds back at most this − 1 bytes. */
  get maxPatternLength(): number {
    return this.maxLen;
  }

  /** Feed a chunk; returns the masked bytes that are final. */
  push(chunk: Uint8Array): Buffer {
    this.held = this.held.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.held, chunk]);
    return this.drain(false);
  }

  /** End of stream: everything still held, masked. */
  flush(): Buffer {
    return this.drain(true);
  }

  private drain(final: boolean): Buffer {
    const buf = this.held;
    // A position is decided only when every pattern fits before the end of what we hold (or at
    // the end of the stream): a longer pattern could otherwise still start there.
    const decidable = final ? buf.length : buf.length - this.maxLen + 1;
    const parts: Buffer[] = [];
    let copyFrom = 0;
    let i = 0;
    while (i < decidable) {
      const candidates = this.byFirstByte.get(buf[i] ?? -1);
      let matched = 0;
      if (candidates) {
        for (const p of candidates) {
          if (i + p.length <= buf.length && buf.compare(p, 0, p.length, i, i + p.length) === 0) {
            matched = p.length;
            break;
          }
        }
      }
      if (matched > 0) {
        if (i > copyFrom) parts.push(buf.subarray(copyFrom, i));
        parts.push(this.mask);
        i += matched;
        copyFrom = i;
      } else i++;
    }
    // Bytes before `i` are decided; from `i` on they wait for more input (or were all consumed).
    const emitEnd = Math.max(copyFrom, Math.min(i, buf.length));
    if (emitEnd > copyFrom) parts.push(buf.subarray(copyFrom, emitEnd));
    const out = Buffer.concat(parts);
    // Copy the rest so the caller's chunk can be reused; zero what we no longer hold.
    const rest = Buffer.from(buf.subarray(emitEnd));
    buf.fill(0);
    this.held = rest;
    return out;
  }
}

/** Mask a whole buffer at once. */
export function maskAll(values: readonly Uint8Array[], data: Uint8Array): Buffer {
  const m = new SecretMasker(values);
  return Buffer.concat([m.push(data), m.flush()]);
}
