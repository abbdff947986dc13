// A hand-driven clock for schedulers that take injected Timers (src/main/services/timers.ts):
// `advance` moves time and runs what fell due, `waiting` counts what is still scheduled.
import type { Timers } from '../../src/main/services/timers.js';

export interface ManualTimers extends Timers {
  advance(ms: number): void;
  waiting(): number;
}

export function manualTimers(start = 1_700_000_000_000): ManualTimers {
  let now = start;
  let jobs: { at: number; fn: () => void }[] = [];
  return {
    now: () => now,
    schedule(fn, ms) {
      const job = { at: now + ms, fn };
      jobs.push(job);
      return () => {
        jobs = jobs.filter((j) => j !== job);
      };
    },
    advance(ms) {
      now += ms;
      const due = jobs.filter((j) => j.at <= now);
      jobs = jobs.filter((j) => j.at > now);
      for (const j of due) j.fn();
    },
    waiting: () => jobs.length,
  };
}
