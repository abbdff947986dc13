import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CanonicalJsonError, canonicalJson, canonicalJsonBytes, isCanonicalJson } from './canonical-json.js';

describe('RFC 8785 canonical JSON', () => {
  it('sorts keys by UTF-16 code units and serializes numbers as ECMAScript does (RFC 8785 §3.2.2.3, §3.2.3)', () => {
    // RFC 8785 §3.2.3 sorting example keys and §3.2.2.3 number examples.
    expect(
      canonicalJson({
        '\u20ac': 'Euro Sign',
        '\r': 'Carriage Return',
        '\ufb33': 'Hebrew Letter Dalet With Dagesh',
        '1': 'One',
        '\ud83d\ude00': 'Emoji: Grinning Face',
        '\u0080': 'Control',
        '\u00f6': 'Latin Small Letter O With Diaeresis',
      }),
    ).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
    expect(canonicalJson([1e21, 1e-7, -0, 0.000001, 333333333.3333333, 4.5, 2e-3])).toBe(
      '[1e+21,1e-7,0,0.000001,333333333.3333333,4.5,0.002]',
    );
    expect(new TextDecoder().decode(canonicalJsonBytes({ b: [true, null], a: 'é' }))).toBe('{"a":"é","b":[true,null]}');
  });

  it.each([
    ['NaN', NaN],
    ['Infinity', [Infinity]],
    ['undefined', undefined],
    ['undefined member', { a: undefined }],
    ['function', { f: () => 1 }],
    ['bigint', { n: 1n }],
    ['Date', { d: new Date(0) }],
    ['Map', new Map()],
    ['lone surrogate', '\ud800'],
    ['symbol key', { [Symbol('x')]: 1 }],
  ])('refuses %s', (_why, value) => {
    expect(() => canonicalJson(value)).toThrow(CanonicalJsonError);
  });

  it('refuses cycles', () => {
    const a: Record<string, unknown> = {};
    a['self'] = a;
    expect(() => canonicalJson(a)).toThrow(CanonicalJsonError);
  });

  it('is idempotent and recognised by isCanonicalJson', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(isCanonicalJson(text)).toBe(true);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
    );
    expect(isCanonicalJson('{"b":1,"a":2}')).toBe(false);
    expect(isCanonicalJson('{"a": 1}')).toBe(false);
    expect(isCanonicalJson('{"a":1,"a":1}')).toBe(false);
    expect(isCanonicalJson('1e400')).toBe(false);
    expect(isCanonicalJson('not json')).toBe(false);
  });
});
