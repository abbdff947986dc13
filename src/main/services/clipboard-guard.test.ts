import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ClipboardGuard, DEFAULT_CLIPBOARD_CLEAR_MS, MemoryClipboard } from './clipboard-guard.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('ClipboardGuard', () => {
  it('clears a copied secret after 30 s by default', () => {
    const port = new MemoryClipboard();
    const guard = new ClipboardGuard({ port });
    expect(guard.copy('s3cret')).toEqual({ clearsInMs: DEFAULT_CLIPBOARD_CLEAR_MS });
    expect(port.readText()).toBe('s3cret');
    vi.advanceTimersByTime(DEFAULT_CLIPBOARD_CLEAR_MS - 1);
    expect(port.readText()).toBe('s3cret');
    vi.advanceTimersByTime(1);
    expect(port.readText()).toBe('');
  });

  it('leaves the clipboard alone when the owner copied something else meanwhile', () => {
    const port = new MemoryClipboard();
    const guard = new ClipboardGuard({ port, clearAfterMs: 1000 });
    guard.copy('s3cret');
    port.writeText('a shopping list');
    vi.advanceTimersByTime(1000);
    expect(port.readText()).toBe('a shopping list');
  });

  it('keeps no plaintext: only a digest of the copy is held', () => {
    const guard = new ClipboardGuard({ clearAfterMs: 1000 });
    guard.copy('TOP-SECRET-CANARY');
    expect(JSON.stringify(Object.entries(guard).filter(([k]) => k !== 'port'))).not.toContain('TOP-SECRET-CANARY');
  });

  it('a second copy restarts the timer; clearIfOurs (on lock) clears at once', () => {
    const port = new MemoryClipboard();
    const guard = new ClipboardGuard({ port, clearAfterMs: 1000 });
    guard.copy('one');
    vi.advanceTimersByTime(800);
    guard.copy('two');
    vi.advanceTimersByTime(800);
    expect(port.readText()).toBe('two');
    expect(guard.clearIfOurs()).toBe(true);
    expect(port.readText()).toBe('');
    expect(guard.clearIfOurs()).toBe(false);
  });
});
