// One figure of the benchmark as the JSON report keeps it (issue 17 item 4): the measured value,
// and — where the run also measured the machine's ceiling for that shape of work — the ceiling
// and the figure as a fraction of it. `npm run bench` merges every part's report into one file
// of this shape, which `--compare` reads back (parsed, never trusted: it may be any old file).
import { z } from 'zod';

export const figureSchema = z.object({
  /** Stable across runs (what `--compare` matches on); the label may carry run-specific detail. */
  id: z.string().min(1),
  label: z.string(),
  value: z.number(),
  unit: z.string(),
  higherIsBetter: z.boolean(),
  ceiling: z.number().nullable(),
  /** value / ceiling (for latencies: ceiling / value), so 1.0 is the machine's own limit. */
  ratio: z.number().nullable(),
  target: z.string().nullable(),
  met: z.boolean().nullable(),
});
export type Figure = z.infer<typeof figureSchema>;

/** A part's table row as the mixed-load part prints it (value and ratio as text). */
const rowSchema = z.object({ metric: z.string(), value: z.string(), ratio: z.string().optional() });

const partSchema = z.looseObject({ figures: z.array(figureSchema).optional(), rows: z.array(rowSchema).optional() });

export const combinedReportSchema = z.looseObject({
  generatedAt: z.string(),
  loadAverage: z.array(z.number()).optional(),
  parts: z.record(z.string(), partSchema),
});
export type CombinedReport = z.infer<typeof combinedReportSchema>;

/** A figure with its ratio filled in from the ceiling (null where either is missing). */
export function figure(
  f: Omit<Figure, 'ratio' | 'ceiling' | 'target' | 'met'> & { ceiling?: number | null; target?: string | null; met?: boolean | null },
): Figure {
  const ceiling = f.ceiling ?? null;
  const usable = ceiling !== null && Number.isFinite(ceiling) && ceiling > 0 && Number.isFinite(f.value) && f.value > 0;
  const ratio = usable ? (f.higherIsBetter ? f.value / ceiling : ceiling / f.value) : null;
  return { ...f, ceiling, ratio, target: f.target ?? null, met: f.met ?? null };
}

const LOWER_IS_BETTER_UNITS = new Set(['ms', 's', 'MB', 'KiB', 'µs']);

/**
 * A text row ("12,345 /s", "0.412 ms", "96 MB") as a figure keyed by its metric, for parts that
 * only print rows. The first number is the value; rows without one are left out.
 */
export function figureFromRow(row: z.infer<typeof rowSchema>): Figure | null {
  const m = /^\s*(-?[\d,]*\.?\d+)\s*([^\s/(,]*(?:\/s)?)/.exec(row.value);
  if (!m?.[1]) return null;
  const value = Number(m[1].replace(/,/g, ''));
  if (!Number.isFinite(value)) return null;
  const unit = m[2] ?? '';
  const higherIsBetter = !LOWER_IS_BETTER_UNITS.has(unit);
  // Those rows print "3.2×" the floor; as a fraction of the ceiling that is 1/3.2 for a latency or a size.
  const times = row.ratio === undefined ? null : /^\s*(\d*\.?\d+)×/.exec(row.ratio);
  const multiple = times?.[1] === undefined ? null : Number(times[1]);
  return {
    id: row.metric,
    label: row.metric,
    value,
    unit,
    higherIsBetter,
    ceiling: null,
    ratio: multiple === null || multiple <= 0 ? null : higherIsBetter ? multiple : 1 / multiple,
    target: null,
    met: null,
  };
}

/** Every figure of a combined report, keyed `part/id` (rows converted where a part has no figures). */
export function figuresOf(report: CombinedReport): Map<string, Figure> {
  const out = new Map<string, Figure>();
  for (const [part, body] of Object.entries(report.parts)) {
    const figures = body.figures ?? (body.rows ?? []).map(figureFromRow).filter((f): f is Figure => f !== null);
    for (const f of figures) out.set(`${part}/${f.id}`, f);
  }
  return out;
}
