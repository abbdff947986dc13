// Time as the main process's schedulers see it (live-update coalescing, approval reminders):
// injected, so their decisions are tested with a hand-driven clock (tests/support/manual-timers.ts).
export interface Timers {
  now(): number;
  /** Run `fn` after `ms`; the returned function cancels it. */
  schedule(fn: () => void, ms: number): () => void;
}

/** Wall-clock timers that never keep the process alive on their own. */
export const realTimers: Timers = {
  now: () => Date.now(),
  schedule: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return () => clearTimeout(t);
  },
};
