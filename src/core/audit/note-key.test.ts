import { describe, expect, it } from 'vitest';
import { encodeVerifierKey, generateNoteKey, isValidKeyName, noteKeyHash, parseSignerKey, parseVerifierKey } from './note-key.js';

describe('signed-note keys', () => {
  it('generates key pairs whose strings parse and agree', () => {
    const k = generateNoteKey('vault.example/audit');
    expect(k.signerKey.startsWith('PRIVATE+KEY+vault.example/audit+')).toBe(true);
    const s = parseSignerKey(k.signerKey);
    const v = parseVerifierKey(k.verifierKey);
    expect(s.ok && v.ok && s.value.keyHash === v.value.keyHash).toBe(true);
    expect(s.ok && s.value.verifierKey).toBe(k.verifierKey);
    const msg = new TextEncoder().encode('hi');
    if (!s.ok || !v.ok) return;
    const sig = s.value.sign(msg);
    expect(v.value.verify(msg, sig)).toBe(true);
    sig[0] = (sig[0] as number) ^ 1;
    expect(v.value.verify(msg, sig)).toBe(false);
    expect(v.value.verify(msg, sig.subarray(1))).toBe(false);
  });

  it('computes the key ID over name || 0x0A || 0x01 || public key', () => {
    const pub = new Uint8Array(32).fill(3);
    const vkey = encodeVerifierKey('n', pub);
    expect(vkey.split('+')[1]).toBe(
      noteKeyHash('n', new Uint8Array([1, ...pub]))
        .toString(16)
        .padStart(8, '0'),
    );
  });

  it('names why a key is refused', () => {
    const pub = new Uint8Array(32).fill(3);
    const vkey = encodeVerifierKey('n', pub);
    expect(parseVerifierKey(vkey.replace(/^n\+[0-9a-f]{8}/, 'n+00000000'))).toEqual({ ok: false, error: 'key-hash-mismatch' });
    expect(parseVerifierKey('n+zzzzzzzz+AQ==')).toEqual({ ok: false, error: 'malformed-key' });
    const typed = new Uint8Array([2, ...pub]);
    const other = `n+${noteKeyHash('n', typed).toString(16).padStart(8, '0')}+${Buffer.from(typed).toString('base64')}`;
    expect(parseVerifierKey(other)).toEqual({ ok: false, error: 'unknown-algorithm' });
  });

  it('validates names as the spec says: non-empty, no Unicode space, no plus', () => {
    expect(['a', 'example.com/log', 'ünï'].map(isValidKeyName)).toEqual([true, true, true]);
    expect(['', 'a b', 'a+b', 'a\u00a0b', 'a\u3000b', 'a\u2028b'].map(isValidKeyName)).toEqual([false, false, false, false, false, false]);
    expect(() => encodeVerifierKey('bad name', new Uint8Array(32))).toThrow(RangeError);
  });
});
