import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findIllFormedText, isWellFormedText } from './well-formed.js';

describe('isWellFormedText', () => {
  it('accepts text of any script, emoji and paired surrogates', () => {
    for (const s of ['', 'plain', 'ü€', '😀', '👩\u200d💻', '\ud83d\ude00', 'a\ufffdb']) expect(isWellFormedText(s), s).toBe(true);
  });

  it('refuses lone high and low surrogates anywhere, and reversed pairs', () => {
    for (const s of ['\ud800', '\udfff', 'a\ud83d', '\ude00b', 'x\udc00\ud800y', '😀\ud800', '\ud800\ud800\udc00'])
      expect(isWellFormedText(s), JSON.stringify(s)).toBe(false);
  });

  it('property: agrees with a UTF-8 round trip', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }),
        fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)) }),
        (text, surrogates) => {
          const s = text + surrogates;
          expect(isWellFormedText(s)).toBe(Buffer.from(s, 'utf8').toString('utf8') === s);
        },
      ),
    );
  });
});

describe('findIllFormedText', () => {
  it('names the path of the first ill-formed string or key', () => {
    expect(findIllFormedText({ a: 'ok', b: ['x', { c: 'bad\ud800' }] })).toEqual(['b', 1, 'c']);
    expect(findIllFormedText({ metadata: { '\udc00': 1 } })).toEqual(['metadata', '\udc00']);
    expect(findIllFormedText({ a: 'ok', n: 1, z: null, t: true, list: ['😀'] })).toBeUndefined();
    expect(findIllFormedText({ bytes: Buffer.from('\ud800') })).toBeUndefined(); // decoded bytes are not text
  });
});
