import { describe, expect, it } from 'vitest';
import { LoginBackoff } from './login-backoff.js';

function retryAfter(b: LoginBackoff): unknown {
  try {
    b.begin();
    return 'allowed';
  } catch (e) {
    return typeof e === 'object' && e !== null && 'code' in e && 'details' in e ? { code: e.code, details: e.details } : e;
  }
}

describe('owner login backoff', () => {
  it('doubles the spacing after each unfinished login from 250 ms, caps at 30 s, and resets on success', () => {
    let now = 0;
    const b = new LoginBackoff(() => now);
    expect(retryAfter(b)).toBe('allowed');
    expect(retryAfter(b)).toEqual({ code: 'RATE_LIMITED', details: { retryAfterMs: 250 } });
    now += 100;
    expect(retryAfter(b)).toEqual({ code: 'RATE_LIMITED', details: { retryAfterMs: 150 } });
    now += 150;
    expect(retryAfter(b)).toBe('allowed');
    expect(retryAfter(b)).toEqual({ code: 'RATE_LIMITED', details: { retryAfterMs: 500 } });
    for (let i = 0; i < 20; i++) {
      now += 60_000;
      expect(retryAfter(b)).toBe('allowed');
    }
    expect(b.failures).toBe(22);
    expect(retryAfter(b)).toEqual({ code: 'RATE_LIMITED', details: { retryAfterMs: 30_000 } });
    b.succeeded();
    expect(b.failures).toBe(0);
    expect(retryAfter(b)).toBe('allowed');
  });
});
