// Invariant: at most one multi-step TPM sequence runs at a time per TPM connection. Without a
// resource manager, `tpm2_flushcontext -t` from one sequence would flush another's objects.

/** A FIFO async mutex: `run(fn)` waits for every earlier `run` to settle, then runs `fn`. */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}

const byTarget = new Map<string, Mutex>();

/**
 * One mutex per TPM target (TCTI string) in this process, so that two sealers pointed at the
 * same TPM also serialize. `undefined` is the tools' default device.
 */
export function mutexForTarget(tcti: string | undefined): Mutex {
  const key = tcti ?? '<default>';
  let m = byTarget.get(key);
  if (!m) {
    m = new Mutex();
    byTarget.set(key, m);
  }
  return m;
}
