import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isVaultError } from '../errors.js';
import { maskAll, maskPatternsOf, MIN_SECRET_BYTES, SECRET_MASK, SecretMasker } from './secret-mask.js';

/** Split `data` at the given cut points and run it through a fresh masker. */
function maskChunked(values: readonly Uint8Array[], data: Buffer, cuts: readonly number[]): Buffer {
  const m = new SecretMasker(values);
  const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let last = 0;
  for (const p of [...points, data.length]) {
    out.push(m.push(data.subarray(last, p)));
    last = p;
  }
  out.push(m.flush());
  return Buffer.concat(out);
}

// Encodings written out independently of the masker (not computed by the code under test).
function encodingsOf(secret: string): string[] {
  const b = Buffer.from(secret, 'utf8');
  const std = b.toString('base64');
  const url = std.replace(/\+/g, '-').replace(/\//g, '_');
  return [secret, std, std.replace(/=+$/, ''), url, url.replace(/=+$/, ''), encodeURIComponent(secret), b.toString('hex')];
}

// Secrets and filler from disjoint alphabets: an occurrence in the output can then only come
// from the input, not from the mask text meeting its neighbours.
const secretArb = fc
  .string({ unit: fc.constantFrom(...'QWERTYUIOPqwertyuiop0123456789!$&+/=@ é'), minLength: MIN_SECRET_BYTES, maxLength: 40 })
  .filter((s) => s.trimEnd().length >= MIN_SECRET_BYTES);
const fillerArb = fc.string({ unit: fc.constantFrom(...'kmnvxz ,;\n\t'), maxLength: 30 });

describe('SecretMasker', () => {
  it('for any chunking, no secret and no encoding of it survives', () => {
    fc.assert(
      fc.property(
        fc.array(secretArb, { minLength: 1, maxLength: 3 }),
        fc.array(fc.tuple(fillerArb, fc.nat(6), fc.nat(2)), { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(2000), { maxLength: 12 }),
        (secrets, pieces, cuts) => {
          const values = secrets.map((s) => Buffer.from(s, 'utf8'));
          const text = pieces.map(([filler, which, s]) => filler + (encodingsOf(secrets[s % secrets.length] ?? '')[which] ?? '')).join('');
          const out = maskChunked(values, Buffer.from(text, 'utf8'), cuts).toString('utf8');
          for (const s of secrets) for (const enc of encodingsOf(s)) expect(out.includes(enc)).toBe(false);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('leaves output without secrets byte for byte unchanged, however it is chunked', () => {
    fc.assert(
      fc.property(
        fc.array(secretArb, { minLength: 1, maxLength: 3 }),
        fc.uint8Array({ maxLength: 300 }),
        fc.array(fc.nat(400), { maxLength: 10 }),
        (secrets, bytes, cuts) => {
          const values = secrets.map((s) => Buffer.from(s, 'utf8'));
          const data = Buffer.from(bytes);
          fc.pre(!values.some((v) => maskPatternsOf(v).some((p) => data.includes(p))));
          expect(maskChunked(values, data, cuts).equals(data)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives the same result chunked as in one piece', () => {
    fc.assert(
      fc.property(
        secretArb,
        fc.array(fc.oneof(fillerArb, secretArb), { maxLength: 6 }),
        fc.array(fc.nat(500), { maxLength: 12 }),
        (secret, parts, cuts) => {
          const data = Buffer.from(parts.join(secret), 'utf8');
          const values = [Buffer.from(secret, 'utf8')];
          expect(maskChunked(values, data, cuts).equals(maskAll(values, data))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('masks a value split across one-byte chunks', () => {
    const m = new SecretMasker([Buffer.from('hunter2-long')]);
    const out: Buffer[] = [];
    for (const c of Buffer.from('pw=hunter2-long;')) out.push(m.push(Buffer.from([c])));
    out.push(m.flush());
    expect(Buffer.concat(out).toString()).toBe(`pw=${SECRET_MASK};`);
  });

  it('masks the password inside a Basic auth header (base64 at an offset)', () => {
    const pw = 'S3cr3t-Passw0rd!';
    const header = `Authorization: Basic ${Buffer.from(`admin:${pw}`).toString('base64')}`;
    const out = maskAll([Buffer.from(pw)], Buffer.from(header)).toString();
    expect(out).toContain(SECRET_MASK);
    // What is left of the encoding no longer decodes to the password.
    expect(Buffer.from(out.replace('Authorization: Basic ', ''), 'base64').toString('latin1')).not.toContain(pw);
  });

  it('masks a value stored with a trailing newline also where it is printed without it', () => {
    const out = maskAll([Buffer.from('tok-123456\n')], Buffer.from('token is tok-123456.')).toString();
    expect(out).toBe(`token is ${SECRET_MASK}.`);
  });

  it('masks JSON-escaped and form-encoded forms', () => {
    const s = 'a"b\\c d&e';
    const out = maskAll(
      [Buffer.from(s)],
      Buffer.from(`${JSON.stringify({ s })} q=${new URLSearchParams({ s }).toString().slice(2)}`),
    ).toString();
    expect(out).toBe(`{"s":"${SECRET_MASK}"} q=${SECRET_MASK}`);
  });

  it('prefers the longer of two overlapping secrets', () => {
    expect(maskAll([Buffer.from('abcd'), Buffer.from('abcdefgh')], Buffer.from('xabcdefghx')).toString()).toBe(`x${SECRET_MASK}x`);
  });

  it.each([[''], ['a'], ['abc'], ['ab\n\n'], ['   ']])('refuses the too-short value %j with SECRET_UNMASKABLE', (v) => {
    let code = 'OK';
    try {
      new SecretMasker([Buffer.from(v)]);
    } catch (e) {
      code = isVaultError(e) ? e.code : 'THROWN';
    }
    expect(code).toBe('SECRET_UNMASKABLE');
  });

  it('accepts a value of exactly the minimum length', () => {
    expect(maskAll([Buffer.from('abcd')], Buffer.from('xabcdx')).toString()).toBe(`x${SECRET_MASK}x`);
  });
});
