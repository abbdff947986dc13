import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPlainText, neutraliseLine, neutraliseText, toTerminalJson } from './terminal-text.js';

// Written out by hand, not derived from the module: what must never reach a terminal raw.
const C0 = Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i));
const C1 = Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(0x80 + i));
const BIDI = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c'];
const ZERO_WIDTH = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff'];
const SEPARATORS = ['\u2028', '\u2029'];
const LONE_SURROGATES = ['\ud800', '\udbff', '\udc00', '\udfff'];
const FORBIDDEN = [...C0, '\u007f', ...C1, ...BIDI, ...ZERO_WIDTH, ...SEPARATORS, ...LONE_SURROGATES];

/** True when `s` holds none of FORBIDDEN (iterating code units, so a lone surrogate counts). */
function hasNoForbidden(s: string, allow: readonly string[] = []): boolean {
  for (let i = 0; i < s.length; i++) {
    const unit = s[i] ?? '';
    const code = unit.charCodeAt(0);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) {
      i++; // a well-formed pair
      continue;
    }
    if (FORBIDDEN.includes(unit) && !allow.includes(unit)) return false;
  }
  return true;
}

const hostile = fc.constantFrom(...FORBIDDEN);
const anyText = fc.array(fc.oneof(fc.string({ unit: 'binary' }), hostile)).map((parts) => parts.join(''));
const ordinary = fc.string({ unit: 'grapheme' }).filter((s) => hasNoForbidden(s));

describe('terminal text neutraliser', () => {
  it('escapes the attack sequences of issue 13 visibly', () => {
    expect(neutraliseLine('\u001b[2J\u001b[1Aok')).toBe('\\x1b[2J\\x1b[1Aok');
    expect(neutraliseLine('\u001b]52;c;aGk=\u0007')).toBe('\\x1b]52;c;aGk=\\x07');
    expect(neutraliseLine('\u009b2J')).toBe('\\x9b2J');
    expect(neutraliseLine('abc\u202edef')).toBe('abc\\u202edef');
    expect(neutraliseLine('a\rb\bc\u007f')).toBe('a\\rb\\x08c\\x7f');
    expect(neutraliseLine('x\u200by\ufeff')).toBe('x\\u200by\\ufeff');
    expect(neutraliseLine('l1\u2028l2\u2029')).toBe('l1\\u2028l2\\u2029');
    expect(neutraliseLine('\ud800x')).toBe('\\ud800x');
  });

  it('keeps lines apart only in the multi-line variant', () => {
    expect(neutraliseText('one\ntwo\tend')).toBe('one\ntwo\tend');
    expect(neutraliseLine('one\ntwo\tend')).toBe('one\\ntwo\\tend');
    expect(neutraliseText('one\r\ntwo')).toBe('one\\r\ntwo');
  });

  it('leaves ordinary text of any script and emoji unchanged, ZWJ emoji sequences included', () => {
    for (const s of ['launch codes', 'Привет, мир', 'مرحبا بالعالم', '日本語のタイトル', 'नमस्ते', '👩‍💻 🏳️‍🌈 👩🏽‍💻 ❤️‍🔥 🧑‍🤝‍🧑', 'C:\\path\\x1b']) {
      expect(neutraliseLine(s)).toBe(s);
      expect(isPlainText(s)).toBe(true);
    }
    // A ZWJ that joins no emoji is a hidden character.
    expect(neutraliseLine('ad\u200dmin')).toBe('ad\\u200dmin');
    expect(neutraliseLine('👩\u200d')).toBe('👩\\u200d');
  });

  it('property: no output of either variant holds a forbidden character (newline and tab aside in the block variant)', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        expect(hasNoForbidden(neutraliseLine(s), ['\u200d'])).toBe(true);
        expect(hasNoForbidden(neutraliseText(s), ['\n', '\t', '\u200d'])).toBe(true);
        // eslint-disable-next-line no-control-regex -- asserting raw ESC is absent
        expect(neutraliseLine(s)).not.toMatch(/\u001b|\u009b|\u202e/u);
      }),
      { numRuns: 500 },
    );
  });

  it('property: ordinary text is unchanged, and neutralising twice changes nothing more', () => {
    fc.assert(
      fc.property(ordinary, (s) => {
        expect(neutraliseLine(s)).toBe(s);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(anyText, (s) => {
        expect(neutraliseLine(neutraliseLine(s))).toBe(neutraliseLine(s));
      }),
      { numRuns: 300 },
    );
  });

  it('property: every forbidden character is replaced by an escape, never dropped', () => {
    fc.assert(
      fc.property(fc.string(), hostile, fc.string(), (a, bad, b) => {
        const out = neutraliseLine(`${a}${bad}${b}`);
        expect(out.length).toBeGreaterThan(a.length + b.length);
        expect(out).toMatch(/\\(x[0-9a-f]{2}|u[0-9a-f]{4}|[nrt])/);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses at store time exactly what it would escape on display', () => {
    for (const bad of FORBIDDEN) expect(isPlainText(`title ${bad} end`)).toBe(false);
    fc.assert(
      fc.property(anyText, (s) => {
        expect(isPlainText(s)).toBe(neutraliseLine(s) === s);
      }),
      { numRuns: 500 },
    );
  });
});

describe('--json serialiser', () => {
  it('property: valid JSON with the same parsed value, and no raw ESC, CSI, C1, bidi, zero-width or separator byte', () => {
    const value = fc.dictionary(anyText, fc.oneof(anyText, fc.integer(), fc.boolean(), fc.constant(null), fc.array(anyText)));
    fc.assert(
      fc.property(value, fc.constantFrom(undefined, 2), (v, space) => {
        const json = toTerminalJson(v, space);
        expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(v)));
        expect(hasNoForbidden(json, space === undefined ? [] : ['\n'])).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('writes hidden characters as \\u escapes', () => {
    expect(toTerminalJson({ t: '\u001b[2J\u009b\u202e\u200b\u2028' })).toBe('{"t":"\\u001b[2J\\u009b\\u202e\\u200b\\u2028"}');
  });
});
