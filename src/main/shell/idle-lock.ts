// Auto-lock: on screen lock, suspend, or after the machine has been idle for a while, the vault
// locks and its keys are wiped. The power monitor is injected so this runs under test in Node.
// The idle limit is read on every poll, so a changed setting applies without a restart.
export type PowerEvent = 'lock-screen' | 'suspend';

export interface PowerSource {
  on(event: PowerEvent, listener: () => void): unknown;
  removeListener(event: PowerEvent, listener: () => void): unknown;
  /** Seconds since the last user input, system-wide (Electron's powerMonitor.getSystemIdleTime). */
  getSystemIdleTime(): number;
}

export interface IdleLockOptions {
  readonly power: PowerSource;
  readonly lock: () => void;
  readonly isUnlocked: () => boolean;
  /** The owner's auto-lock setting, in seconds; read at every poll. */
  readonly idleSeconds: () => number;
  readonly pollMs?: number;
}

export const DEFAULT_IDLE_POLL_MS = 15_000;

/** Start watching; the returned function stops it (timer and power listeners). */
export function startIdleLock(opts: IdleLockOptions): () => void {
  const lockNow = (): void => {
    if (opts.isUnlocked()) opts.lock();
  };
  opts.power.on('lock-screen', lockNow);
  opts.power.on('suspend', lockNow);
  const timer = setInterval(() => {
    if (opts.power.getSystemIdleTime() >= opts.idleSeconds()) lockNow();
  }, opts.pollMs ?? DEFAULT_IDLE_POLL_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    opts.power.removeListener('lock-screen', lockNow);
    opts.power.removeListener('suspend', lockNow);
  };
}
