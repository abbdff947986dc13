import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isVaultError } from '../errors.js';
import { formatMemoryRef, memoryRefOf, memoryTitleRefOf, parseFieldSelector, parseMemoryRef, type MemoryRef } from './memory-ref.js';

const codeOf = (f: () => unknown): string => {
  try {
    f();
    return 'OK';
  } catch (e) {
    return isVaultError(e) ? e.code : 'THROWN';
  }
};

const hex = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n });
const namespaceArb = fc
  .tuple(
    fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789ABCZ'),
    fc.string({ unit: fc.constantFrom(...'abcxyz019._-Q'), maxLength: 63 }),
  )
  .map(([a, b]) => a + b);
const uuidArb = fc.tuple(hex(8), hex(4), hex(4), hex(4), hex(12)).map((p) => p.join('-'));
const prefixArb = fc.integer({ min: 8, max: 31 }).chain((n) => hex(n));
// Titles as the store accepts them: printable text (no control characters), any script.
const titleArb = fc.string({
  unit: fc.oneof(fc.constantFrom(...'abc XYZ 019 /#?%.~_-+&=:@"\'{}'), fc.constantFrom('é', 'ß', '中', '😀', 'Ω')),
  minLength: 1,
  maxLength: 60,
});
const segmentArb = fc.string({ unit: fc.constantFrom(...'abzAZ09_-.~ %#é'), minLength: 1, maxLength: 12 });
const refArb: fc.Arbitrary<MemoryRef> = fc.record({
  namespace: namespaceArb,
  target: fc.oneof(
    uuidArb.map((id) => ({ kind: 'id' as const, id })),
    prefixArb.map((id) => ({ kind: 'id' as const, id })),
    titleArb.map((title) => ({ kind: 'title' as const, title })),
  ),
  field: fc.option(fc.array(segmentArb, { minLength: 1, maxLength: 4 }), { nil: null }),
});

describe('memory references', () => {
  it('round-trips: parse(format(r)) equals r, and format is a fixed point', () => {
    fc.assert(
      fc.property(refArb, (r) => {
        const text = formatMemoryRef(r);
        expect(parseMemoryRef(text)).toEqual(r);
        expect(formatMemoryRef(parseMemoryRef(text))).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it('reads the documented examples', () => {
    expect(parseMemoryRef('mv://ops/3fa2c1d0')).toEqual({ namespace: 'ops', target: { kind: 'id', id: '3fa2c1d0' }, field: null });
    expect(parseMemoryRef('mv://ops/3fa2c1d0-1111-4222-8333-444455556666#db.password')).toEqual({
      namespace: 'ops',
      target: { kind: 'id', id: '3fa2c1d0-1111-4222-8333-444455556666' },
      field: ['db', 'password'],
    });
    expect(parseMemoryRef('mv://ops/by-title/Prod%20DB%20%2F%20main#users.0.pw')).toEqual({
      namespace: 'ops',
      target: { kind: 'title', title: 'Prod DB / main' },
      field: ['users', '0', 'pw'],
    });
    expect(memoryRefOf({ id: '3FA2C1D0-1111-4222-8333-444455556666', namespace: 'ops' })).toBe(
      'mv://ops/3fa2c1d0-1111-4222-8333-444455556666',
    );
    expect(memoryTitleRefOf({ title: 'a b', namespace: 'ops' })).toBe('mv://ops/by-title/a%20b');
    expect(parseFieldSelector('a%2Eb.c')).toEqual(['a.b', 'c']);
  });

  it.each([
    ['', 'empty'],
    ['op://ops/3fa2c1d0', 'another scheme'],
    ['MV://ops/3fa2c1d0', 'upper-case scheme'],
    ['mv:/ops/3fa2c1d0', 'one slash'],
    ['mv://ops', 'no target'],
    ['mv://ops/', 'empty target'],
    ['mv:///3fa2c1d0', 'empty namespace'],
    ['mv://-ops/3fa2c1d0', 'namespace starting with -'],
    ['mv://o p/3fa2c1d0', 'space in namespace'],
    [`mv://${'a'.repeat(65)}/3fa2c1d0`, 'namespace too long'],
    ['mv://ops/3fa2c1d', 'prefix of 7'],
    ['mv://ops/3FA2C1D0', 'upper-case hex'],
    ['mv://ops/3fa2c1d0-11', 'partial dashed id'],
    ['mv://ops/3fa2c1d0xyz', 'not hex'],
    ['mv://ops/3fa2c1d0/', 'trailing slash'],
    ['mv://ops/3fa2c1d0?x=1', 'query'],
    ['mv://ops/3fa2c1d0#', 'empty field'],
    ['mv://ops/3fa2c1d0#a..b', 'empty field segment'],
    ['mv://ops/3fa2c1d0#a b', 'space in field'],
    ['mv://ops/3fa2c1d0#a#b', 'second #'],
    ['mv://ops/by-title/', 'empty title'],
    ['mv://ops/by-title/a b', 'raw space in title'],
    ['mv://ops/by-title/a/b', 'raw slash in title'],
    ['mv://ops/by-title/%zz', 'bad escape'],
    ['mv://ops/by-title/%C3', 'truncated UTF-8'],
    ['mv://ops/by-title/%FF%FE', 'invalid UTF-8'],
    ['mv://ops/by-title/a%0Ab', 'control character in title'],
    ['mv://ops/by-title/a%1B%5B2J', 'escape sequence in title'],
    ['mv://ops/by-titles/x', 'misspelt by-title'],
    [' mv://ops/3fa2c1d0', 'leading space'],
    ['mv://ops/3fa2c1d0 ', 'trailing space'],
    [`mv://ops/by-title/${'a'.repeat(501)}`, 'title too long'],
  ])('refuses %j (%s) with INVALID_INPUT', (text) => {
    expect(codeOf(() => parseMemoryRef(text))).toBe('INVALID_INPUT');
  });

  it('refuses any text that is not the canonical form of what it parses to, unless it only differs in escapes', () => {
    // Strictness as a property: whatever parses, re-formats to itself modulo percent-escape case and
    // over-escaping of unreserved characters — never to a different reference.
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (junk) => {
        const text = `mv://${junk}`;
        let r: MemoryRef;
        try {
          r = parseMemoryRef(text);
        } catch (e) {
          expect(isVaultError(e) && e.code).toBe('INVALID_INPUT');
          return;
        }
        expect(parseMemoryRef(formatMemoryRef(r))).toEqual(r);
        expect(decodeURIComponent(formatMemoryRef(r))).toBe(decodeURIComponent(text));
      }),
      { numRuns: 1000 },
    );
  });
});
