import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeBase64Strict, encodeBase64 } from './base64.js';

describe('strict base64 (RFC 4648 §4)', () => {
  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (b) => {
        expect(decodeBase64Strict(encodeBase64(b))).toEqual(b);
      }),
    );
  });

  it.each([
    ['missing padding', 'YQ'],
    ['non-zero trailing bits', 'YR=='],
    ['URL alphabet', 'a-_b'],
    ['whitespace', 'YWJj ZA=='],
    ['newline', 'YWJj\n'],
    ['excess padding', 'YQ==='],
  ])('rejects %s', (_why, text) => {
    expect(decodeBase64Strict(text)).toBeUndefined();
  });
});
