// `--compare FILE` (issue 17 item 4): the change of every figure against an earlier report —
// the absolute value, which a neighbour moves, and the fraction of the same run's ceiling, which
// it moves far less. A figure is "better" or "worse" by its own direction (rates up, latencies
// and sizes down); figures only one report has are counted, not guessed at.
import { readFileSync } from 'node:fs';
import { combinedReportSchema, figuresOf, type CombinedReport, type Figure } from './bench-report.js';

export interface FigureChange {
  readonly key: string;
  readonly label: string;
  readonly unit: string;
  readonly before: number;
  readonly after: number;
  /** (after − before) / before; null when before is 0. */
  readonly change: number | null;
  readonly verdict: 'better' | 'worse' | 'same';
  readonly ratioBefore: number | null;
  readonly ratioAfter: number | null;
}

export interface Comparison {
  readonly changes: readonly FigureChange[];
  readonly onlyBefore: readonly string[];
  readonly onlyAfter: readonly string[];
}

/** Changes smaller than this are "same": run-to-run noise on a quiet machine is larger. */
export const SAME_WITHIN = 0.02;

function verdictOf(f: Figure, before: number, after: number): FigureChange['verdict'] {
  const scale = Math.max(Math.abs(before), Math.abs(after));
  if (scale === 0 || Math.abs(after - before) / scale < SAME_WITHIN) return 'same';
  return after > before === f.higherIsBetter ? 'better' : 'worse';
}

export function compareReports(before: CombinedReport, after: CombinedReport): Comparison {
  const a = figuresOf(before);
  const b = figuresOf(after);
  const changes: FigureChange[] = [];
  for (const [key, now] of b) {
    const then = a.get(key);
    if (!then) continue;
    changes.push({
      key,
      label: now.label,
      unit: now.unit,
      before: then.value,
      after: now.value,
      change: then.value === 0 ? null : (now.value - then.value) / Math.abs(then.value),
      verdict: verdictOf(now, then.value, now.value),
      ratioBefore: then.ratio,
      ratioAfter: now.ratio,
    });
  }
  return {
    changes,
    onlyBefore: [...a.keys()].filter((k) => !b.has(k)),
    onlyAfter: [...b.keys()].filter((k) => !a.has(k)),
  };
}

const num = (x: number) => (Math.abs(x) >= 100 ? Math.round(x).toLocaleString('en-US') : x.toPrecision(3));
const signed = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
const share = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(0)}%`);

export function renderComparison(c: Comparison, beforeName: string, afterName: string): string {
  const rows = c.changes.map((x) => [
    x.key,
    `${num(x.before)} → ${num(x.after)} ${x.unit}`,
    x.change === null ? 'n/a' : signed(x.change),
    x.verdict,
    x.ratioBefore === null && x.ratioAfter === null ? '' : `of ceiling ${share(x.ratioBefore)} → ${share(x.ratioAfter)}`,
  ]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(0, ...rows.map((r) => (r[i] ?? '').length)));
  const lines = rows.map((r) =>
    r.map((cell, i) => (i === 1 || i === 2 ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0))).join('  '),
  );
  const count = (v: FigureChange['verdict']) => c.changes.filter((x) => x.verdict === v).length;
  return [
    `compare ${afterName} against ${beforeName}: ${count('better')} better, ${count('worse')} worse, ${count('same')} within ${SAME_WITHIN * 100}%`,
    ...lines.map((l) => l.trimEnd()),
    ...(c.onlyBefore.length ? [`only in ${beforeName}: ${c.onlyBefore.length} figure(s)`] : []),
    ...(c.onlyAfter.length ? [`only in ${afterName}: ${c.onlyAfter.length} figure(s)`] : []),
    'Ratios are each figure as a fraction of the ceiling measured in its own run: compare those across loads and machines.',
  ].join('\n');
}

/** Reads and parses a combined report; a file that is not one is an error naming it. */
export function readReport(path: string): CombinedReport {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: not a readable JSON report (${e instanceof Error ? e.message : String(e)})`);
  }
  const parsed = combinedReportSchema.safeParse(raw);
  if (!parsed.success)
    throw new Error(`${path}: not a benchmark report of \`npm run bench\` (${parsed.error.issues[0]?.message ?? 'invalid'})`);
  return parsed.data;
}
