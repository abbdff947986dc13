import { describe, expect, it } from 'vitest';
import { rankPermitted, type RankCandidate } from './permitted-bm25.js';

const c = (key: number, length: number): RankCandidate => ({ key, length });

describe('rankPermitted', () => {
  it('ranks more occurrences first, and a rarer term above a common one', () => {
    const cands = [c(1, 5), c(2, 5)];
    // Term 0 (rare: 1 of 100 rows) occurs once in row 1; term 1 (common: 90 of 100) three times in row 2.
    const ranked = rankPermitted(cands, {
      docCount: 100,
      terms: [
        { docFreq: 1, freq: new Map([[1, 1]]) },
        { docFreq: 90, freq: new Map([[2, 3]]) },
      ],
    });
    expect(ranked.map((r) => r.key)).toEqual([1, 2]);
    const one = rankPermitted(cands, {
      docCount: 100,
      terms: [
        {
          docFreq: 2,
          freq: new Map([
            [1, 1],
            [2, 3],
          ]),
        },
      ],
    });
    expect(one.map((r) => r.key)).toEqual([2, 1]);
  });

  it('normalises by length: the same count in a shorter row ranks higher', () => {
    const ranked = rankPermitted([c(1, 50), c(2, 5)], {
      docCount: 10,
      terms: [
        {
          docFreq: 2,
          freq: new Map([
            [1, 2],
            [2, 2],
          ]),
        },
      ],
    });
    expect(ranked.map((r) => r.key)).toEqual([2, 1]);
  });

  it('breaks ties by key, newest first, and is a pure function of its inputs', () => {
    const stats = {
      docCount: 10,
      terms: [
        {
          docFreq: 3,
          freq: new Map([
            [4, 1],
            [9, 1],
            [7, 1],
          ]),
        },
      ],
    };
    const cands = [c(4, 3), c(9, 3), c(7, 3)];
    expect(rankPermitted(cands, stats).map((r) => r.key)).toEqual([9, 7, 4]);
    expect(rankPermitted([...cands].reverse(), stats).map((r) => r.key)).toEqual([9, 7, 4]);
    expect(rankPermitted([], stats)).toEqual([]);
  });
});
