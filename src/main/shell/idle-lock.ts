// Auto-lock: on screen lock, suspend, or after the machine has been idle for a while, the vault
// locks and its keys are wiped. The power monitor is injected so this runs under test in Node.
export interface PowerSource {
  on(event: 'lock-screen' | 'suspend', listener: () => void): unknown;
  getSystemIdleTime(): number;
}

export interface IdleLockOptions {
  readonly power: PowerSource;
  readonly lock: () => void;
  readonly isUnlocked: () => boolean;
  readonly idleSeconds: number;
  readonly pollMs?: number;
}

export function startIdleLock(opts: IdleLockOptions): () => void {
  const lockNow = (): void => {
    if (opts.isUnlocked()) opts.lock();
  };
  opts.power.on('lock-screen', lockNow);
  opts.power.on('suspend', lockNow);
  const timer = setInterval(() => {
    if (opts.power.getSystemIdleTime() >= opts.idleSeconds) lockNow();
  }, opts.pollMs ?? 15_000);
  timer.unref();
  return () => clearInterval(timer);
}
