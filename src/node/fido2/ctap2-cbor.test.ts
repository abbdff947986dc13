import { describe, expect, it } from 'vitest';
import { cborItemLength, decodeCbor, encodeCanonical, type CborValue } from './ctap2-cbor.js';
import { parseAuthenticatorData } from './authenticator-data.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('CTAP2 canonical CBOR', () => {
  it('sorts integer keys by major type then value (COSE order 1, 3, -1, -2, -3)', () => {
    const m = new Map<number, number>([
      [-3, 0],
      [-1, 0],
      [3, 0],
      [-2, 0],
      [1, 0],
    ]);
    // a5 | 01 00 | 03 00 | 20 00 | 21 00 | 22 00 — hand-written from RFC 8949 §3.1.
    expect(hex(encodeCanonical(m))).toBe('a5010003002000210022' + '00');
  });

  it('sorts text keys shorter first, then bytewise; no tags on bytes; minimal map header', () => {
    const v = { up: true, clientPin: false, rk: true, plat: false, data: new Uint8Array([1, 2]) };
    // a5 62"rk" f5 62"up" f5 64"data" 42 0102 64"plat" f4 69"clientPin" f4
    expect(hex(encodeCanonical(v))).toBe(
      'a5' + '62726b' + 'f5' + '627570' + 'f5' + '6464617461' + '420102' + '64706c6174' + 'f4' + '69636c69656e7450696e' + 'f4',
    );
  });

  it('puts integer keys before text keys', () => {
    expect(
      hex(
        encodeCanonical(
          new Map<number | string, number>([
            ['a', 1],
            [24, 2],
          ]),
        ),
      ),
    ).toBe('a2' + '181802' + '616101');
  });

  it('decodes garbage into FIDO2_ERROR', () => {
    expect(() => decodeCbor(Uint8Array.of(0xa1))).toThrow(expect.objectContaining({ code: 'FIDO2_ERROR' }));
  });

  it('measures one CBOR item (used to split authData)', () => {
    const item = encodeCanonical(
      new Map<number, CborValue>([
        [1, 2],
        [-2, new Uint8Array(32)],
        [3, [1, 'abc', { x: -300 }]],
      ]),
    );
    const withTail = Uint8Array.from([...item, 0xa0]);
    expect(cborItemLength(withTail)).toBe(item.length);
    expect(() => cborItemLength(item.subarray(0, item.length - 1))).toThrow(expect.objectContaining({ code: 'FIDO2_ERROR' }));
  });

  it('parses authenticator data and rejects trailing bytes', () => {
    const ad = Uint8Array.from([...new Uint8Array(32), 0x05, 0, 0, 1, 2]);
    expect(parseAuthenticatorData(ad)).toMatchObject({ userPresent: true, userVerified: true, signCount: 258 });
    expect(() => parseAuthenticatorData(Uint8Array.from([...ad, 0]))).toThrow(expect.objectContaining({ code: 'FIDO2_ERROR' }));
  });
});
