// `npm run bench -- --compare FILE` (issue 17 item 4): parsing the earlier report (any file may be
// named), matching figures across reports, the direction of "better", and the argument split
// between all.ts and its parts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllArgs } from './all-args.js';
import { compareReports, readReport, renderComparison, SAME_WITHIN } from './bench-compare.js';
import { figure, type CombinedReport } from './bench-report.js';

const report = (figures: ReturnType<typeof figure>[], rows: { metric: string; value: string }[] = []): CombinedReport => ({
  generatedAt: '2026-12-02T00:00:00.000Z',
  parts: { engine: { figures }, mixedLoad: { rows } },
});
const rate = (id: string, value: number, ceiling: number | null = null) =>
  figure({ id, label: id, value, unit: '/s', higherIsBetter: true, ceiling });
const latency = (id: string, value: number) => figure({ id, label: id, value, unit: 'ms', higherIsBetter: false });

const dir = mkdtempSync(join(tmpdir(), 'mv-bench-compare-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('compareReports', () => {
  it('matches figures by part and id, with the change, the verdict by direction and both ratios', () => {
    const c = compareReports(
      report([rate('store', 1000, 4000), latency('p95', 2), rate('gone', 1)], [{ metric: 'rss', value: '100 MB' }]),
      report([rate('store', 1500, 3000), latency('p95', 3), rate('new', 1)], [{ metric: 'rss', value: '90 MB' }]),
    );
    const by = new Map(c.changes.map((x) => [x.key, x]));
    expect(by.get('engine/store')).toMatchObject({
      before: 1000,
      after: 1500,
      change: 0.5,
      verdict: 'better',
      ratioBefore: 0.25,
      ratioAfter: 0.5,
    });
    expect(by.get('engine/p95')).toMatchObject({ change: 0.5, verdict: 'worse' });
    expect(by.get('mixedLoad/rss')).toMatchObject({ before: 100, after: 90, verdict: 'better' });
    expect(c.onlyBefore).toEqual(['engine/gone']);
    expect(c.onlyAfter).toEqual(['engine/new']);
    const text = renderComparison(c, 'old.json', 'new.json');
    expect(text).toContain('2 better, 1 worse');
    expect(text).toMatch(/engine\/store\s+1,000 → 1,500 \/s\s+\+50\.0%\s+better\s+of ceiling 25% → 50%/);
  });

  it('a report against itself changes nothing; swapping the reports swaps every better and worse', () => {
    const fig = fc.record({ value: fc.double({ min: 0.001, max: 1e6, noNaN: true }), higherIsBetter: fc.boolean() });
    fc.assert(
      fc.property(fc.array(fig, { minLength: 1, maxLength: 8 }), fc.array(fig, { minLength: 1, maxLength: 8 }), (xs, ys) => {
        const mk = (list: typeof xs) => report(list.map((f, i) => figure({ id: `f${i}`, label: '', unit: '', ...f })));
        const a = mk(xs);
        const b = mk(ys.map((y, i) => ({ ...y, higherIsBetter: xs[i]?.higherIsBetter ?? y.higherIsBetter })));
        expect(compareReports(a, a).changes.every((x) => x.verdict === 'same' && x.change === 0)).toBe(true);
        const forward = compareReports(a, b).changes;
        const backward = new Map(compareReports(b, a).changes.map((x) => [x.key, x.verdict]));
        for (const x of forward) {
          const flipped = x.verdict === 'better' ? 'worse' : x.verdict === 'worse' ? 'better' : 'same';
          expect(backward.get(x.key)).toBe(flipped);
        }
      }),
    );
  });

  it(`a change within ${SAME_WITHIN * 100}% is "same", not a regression`, () => {
    const [x] = compareReports(report([rate('r', 1000)]), report([rate('r', 1000 * (1 - SAME_WITHIN / 2))])).changes;
    expect(x?.verdict).toBe('same');
  });
});

describe('readReport', () => {
  it('reads a combined report back', () => {
    const path = join(dir, 'ok.json');
    writeFileSync(path, JSON.stringify(report([rate('store', 3)])));
    expect(readReport(path).parts.engine?.figures?.[0]?.value).toBe(3);
  });

  it("refuses a file that is not JSON, or JSON that is not a report (e.g. one part's own file), naming the file", () => {
    const notJson = join(dir, 'bad.json');
    writeFileSync(notJson, '{ not json');
    expect(() => readReport(notJson)).toThrow(/bad\.json: not a readable JSON report/);
    const part = join(dir, 'part.json');
    writeFileSync(part, JSON.stringify({ generatedAt: 'x', rows: [] }));
    expect(() => readReport(part)).toThrow(/part\.json: not a benchmark report/);
    const badFigure = join(dir, 'fig.json');
    writeFileSync(badFigure, JSON.stringify({ generatedAt: 'x', parts: { engine: { figures: [{ id: 'a', value: 'fast' }] } } }));
    expect(() => readReport(badFigure)).toThrow(/fig\.json: not a benchmark report/);
    expect(() => readReport(join(dir, 'missing.json'))).toThrow(/missing\.json/);
  });
});

describe('parseAllArgs', () => {
  it('keeps --out, --compare and --report and passes everything else to the parts in order', () => {
    expect(parseAllArgs(['--quick', '--compare', 'a.json', '--sizes', '1000000', '--out', 'b.json'])).toEqual({
      passThrough: ['--quick', '--sizes', '1000000'],
      out: 'b.json',
      compare: 'a.json',
      report: null,
    });
    expect(parseAllArgs([])).toMatchObject({ out: 'bench-results.json', compare: null, report: null });
  });

  it('refuses a missing file name and a --report without --compare', () => {
    expect(() => parseAllArgs(['--compare'])).toThrow(/--compare expects a file name/);
    expect(() => parseAllArgs(['--compare', '--quick'])).toThrow(/--compare expects a file name/);
    expect(() => parseAllArgs(['--report', 'x.json'])).toThrow(/--report names the later report/);
  });
});
