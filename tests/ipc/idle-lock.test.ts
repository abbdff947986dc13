// The main process's auto-lock, in plain Node with fake timers and a fake power monitor: it locks
// on screen lock and suspend at once, after the configured idle time on a poll, reads a changed
// setting on the next poll, never locks a vault that is already locked, and stops cleanly.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startIdleLock, type PowerEvent, type PowerSource } from '../../src/main/shell/idle-lock.js';

class FakePower implements PowerSource {
  idleSeconds = 0;
  readonly listeners = new Map<PowerEvent, Set<() => void>>();
  on(event: PowerEvent, listener: () => void): this {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener);
    this.listeners.set(event, set);
    return this;
  }
  removeListener(event: PowerEvent, listener: () => void): this {
    this.listeners.get(event)?.delete(listener);
    return this;
  }
  getSystemIdleTime(): number {
    return this.idleSeconds;
  }
  emit(event: PowerEvent): void {
    for (const l of this.listeners.get(event) ?? []) l();
  }
  count(): number {
    return [...this.listeners.values()].reduce((n, s) => n + s.size, 0);
  }
}

const POLL = 1_000;
let power: FakePower;
let unlocked: boolean;
let limitSeconds: number;
let lock: ReturnType<typeof vi.fn<() => void>>;
let stop: () => void;

beforeEach(() => {
  vi.useFakeTimers();
  power = new FakePower();
  unlocked = true;
  limitSeconds = 300;
  lock = vi.fn<() => void>(() => {
    unlocked = false;
  });
  stop = startIdleLock({ power, lock, isUnlocked: () => unlocked, idleSeconds: () => limitSeconds, pollMs: POLL });
});
afterEach(() => {
  stop();
  vi.useRealTimers();
});

describe('idle lock', () => {
  it('locks on screen lock and on suspend, without waiting for a poll', () => {
    power.emit('lock-screen');
    expect(lock).toHaveBeenCalledTimes(1);
    unlocked = true;
    power.emit('suspend');
    expect(lock).toHaveBeenCalledTimes(2);
  });

  it('locks on the first poll once the machine has been idle for the configured time, not before', () => {
    power.idleSeconds = 299;
    vi.advanceTimersByTime(POLL * 3);
    expect(lock).not.toHaveBeenCalled();
    power.idleSeconds = 300;
    vi.advanceTimersByTime(POLL);
    expect(lock).toHaveBeenCalledTimes(1);
  });

  it('reads the setting at every poll: a shorter limit applies without a restart', () => {
    power.idleSeconds = 120;
    vi.advanceTimersByTime(POLL);
    expect(lock).not.toHaveBeenCalled();
    limitSeconds = 60;
    vi.advanceTimersByTime(POLL);
    expect(lock).toHaveBeenCalledTimes(1);
  });

  it('does not lock a vault that is already locked', () => {
    unlocked = false;
    power.idleSeconds = 10_000;
    power.emit('lock-screen');
    vi.advanceTimersByTime(POLL * 5);
    expect(lock).not.toHaveBeenCalled();
  });

  it('stops polling and listening when stopped', () => {
    expect(power.count()).toBe(2);
    stop();
    expect(power.count()).toBe(0);
    power.idleSeconds = 10_000;
    vi.advanceTimersByTime(POLL * 5);
    power.emit('suspend');
    expect(lock).not.toHaveBeenCalled();
  });

  it('polls every 15 seconds by default', () => {
    stop();
    stop = startIdleLock({ power, lock, isUnlocked: () => unlocked, idleSeconds: () => limitSeconds });
    power.idleSeconds = 300;
    vi.advanceTimersByTime(14_999);
    expect(lock).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(lock).toHaveBeenCalledTimes(1);
  });
});
