// Ratios (issue 17 item 4): a figure's ratio is its share of the same-run ceiling — value/ceiling
// for rates, ceiling/value for latencies — and the rows the mixed-load part prints become figures
// with the same meaning. fast-check covers the arithmetic; the examples pin the row parsing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { figure, figureFromRow, figuresOf } from './bench-report.js';

const positive = fc.double({ min: 1e-6, max: 1e9, noNaN: true });

describe('figure ratios', () => {
  it('a rate is value / ceiling and a latency ceiling / value, so reaching the ceiling is exactly 1', () => {
    fc.assert(
      fc.property(positive, positive, fc.boolean(), (value, ceiling, higherIsBetter) => {
        const f = figure({ id: 'x', label: 'x', value, unit: higherIsBetter ? '/s' : 'ms', higherIsBetter, ceiling });
        expect(f.ratio).toBeCloseTo(higherIsBetter ? value / ceiling : ceiling / value, 9);
        const atCeiling = figure({ id: 'x', label: 'x', value: ceiling, unit: '', higherIsBetter, ceiling });
        expect(atCeiling.ratio).toBe(1);
      }),
    );
  });

  it('a worse figure against the same ceiling never has a higher ratio', () => {
    fc.assert(
      fc.property(positive, positive, positive, fc.boolean(), (a, b, ceiling, higherIsBetter) => {
        const [worse, better] = higherIsBetter ? [Math.min(a, b), Math.max(a, b)] : [Math.max(a, b), Math.min(a, b)];
        const r = (value: number) => figure({ id: 'x', label: 'x', value, unit: '', higherIsBetter, ceiling }).ratio ?? Number.NaN;
        expect(r(worse)).toBeLessThanOrEqual(r(better));
      }),
    );
  });

  it('no ceiling, a zero ceiling or a non-finite value leaves the ratio null instead of Infinity or NaN', () => {
    for (const [value, ceiling] of [
      [5, null],
      [5, 0],
      [Number.NaN, 3],
      [0, 3],
      [5, Number.POSITIVE_INFINITY],
    ] as const) {
      expect(figure({ id: 'x', label: 'x', value, unit: '/s', higherIsBetter: true, ceiling }).ratio).toBeNull();
    }
  });
});

describe('rows of parts that print only text', () => {
  it('reads the first number and its unit; a latency or size row "N×" the floor is the fraction 1/N', () => {
    expect(figureFromRow({ metric: 'p99', value: '0.412 ms', ratio: '4.0×, 1.1× alone' })).toMatchObject({
      value: 0.412,
      unit: 'ms',
      higherIsBetter: false,
      ratio: 0.25,
    });
    expect(figureFromRow({ metric: 'rss', value: '96 MB', ratio: '1.0×' })).toMatchObject({ value: 96, unit: 'MB', ratio: 1 });
    expect(figureFromRow({ metric: 'rate', value: '12,345/s' })).toMatchObject({
      value: 12_345,
      unit: '/s',
      higherIsBetter: true,
      ratio: null,
    });
    expect(figureFromRow({ metric: 'floor', value: '0.100 ms / 0.200 ms', ratio: '1.0×' })).toMatchObject({ value: 0.1, unit: 'ms' });
    expect(figureFromRow({ metric: 'none', value: 'n/a' })).toBeNull();
  });

  it('figures are keyed part/id, and a part with figures is not read from its rows', () => {
    const f = figure({ id: 'store', label: 'store', value: 10, unit: '/s', higherIsBetter: true });
    const map = figuresOf({
      generatedAt: 'x',
      parts: {
        engine: { figures: [f], rows: [{ metric: 'ignored', value: '1 ms' }] },
        mixedLoad: { rows: [{ metric: 'p99', value: '2 ms' }] },
      },
    });
    expect([...map.keys()].sort()).toEqual(['engine/store', 'mixedLoad/p99']);
  });
});
