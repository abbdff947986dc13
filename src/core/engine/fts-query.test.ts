import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { indexTermsOf, toFtsQuery } from './fts-query.js';

describe('toFtsQuery', () => {
  it('quotes every token and prefix-matches the last', () => {
    expect(toFtsQuery('deploy keys')).toBe('"deploy" "keys"*');
  });
  it('drops FTS5 syntax instead of passing it through', () => {
    expect(toFtsQuery('title: NEAR(a b) OR "x')).toBe('"title" "NEAR" "a" "b" "OR" "x"*');
    expect(toFtsQuery('*** ()')).toBeNull();
  });
  it('never emits a quote inside a token', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const q = toFtsQuery(s);
        if (q !== null) for (const tok of q.split(' ')) expect(tok).toMatch(/^"[^"]+"\*?$/);
      }),
    );
  });
});

describe('indexTermsOf', () => {
  it('folds like unicode61 remove_diacritics 2 and keeps the prefix on the last token only', () => {
    const q = toFtsQuery('Café DÉPLOY_key') ?? '';
    expect(indexTermsOf(q)).toEqual([
      { term: 'cafe', prefix: false },
      { term: 'deploy', prefix: false },
      { term: 'key', prefix: true },
    ]);
    expect(indexTermsOf('')).toEqual([]);
  });
});
