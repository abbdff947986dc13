// Runs one long owner operation while reporting its progress to the window: a 'start' event,
// whatever the operation reports, then 'done' — or 'failed', so a bar never hangs at 40 %.
import type { OperationProgressDto } from '../../shared/progress.contract.js';

export type ProgressSink = (p: OperationProgressDto) => void;
/** What the operation reports: a phase and counts (bytes for files, memories for rotation). */
export type PhaseReport = (phase: string, done: number, total: number) => void;

export async function tracked<T>(
  sink: ProgressSink,
  operation: OperationProgressDto['operation'],
  run: (report: PhaseReport) => Promise<T>,
  opts: { relock?: boolean } = {},
): Promise<T> {
  const base = { operation, ...(opts.relock ? { relock: true } : {}) };
  let last = { done: 0, total: 0 };
  const report: PhaseReport = (phase, done, total) => {
    const whole = (n: number) => Math.max(0, Math.floor(n));
    last = { done: whole(Math.min(done, total > 0 ? total : done)), total: whole(total) };
    sink({ ...base, phase, ...last });
  };
  report('start', 0, 0);
  try {
    const result = await run(report);
    const total = Math.max(last.total, last.done, 1);
    sink({ ...base, phase: 'done', done: total, total });
    return result;
  } catch (e) {
    sink({ ...base, phase: 'failed', ...last });
    throw e;
  }
}
