// On Linux the nice value belongs to a thread, not the process: lowering a worker thread's lets
// the event loop win the core whenever the machine is busy, so agents are answered first. Nice 5,
// not more: on a saturated machine each step costs the worker a CPU share (nice 10 made an
// unlock ~7× slower at load 12 on two cores; nice 5 still tripled the agent answers served
// during owner guesses compared with nice 0). On an idle machine it changes nothing. Best
// effort: elsewhere (or without /proc) the worker runs at normal priority.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { basename } from 'node:path';

/** Call from inside a worker thread, first thing. */
export function lowerThisThreadsPriority(): void {
  try {
    const tid = Number(basename(readlinkSync('/proc/thread-self')));
    if (Number.isInteger(tid) && tid > 0 && tid !== process.pid) setPriority(tid, 5);
  } catch {
    /* not Linux, or not permitted: normal priority */
  }
}
