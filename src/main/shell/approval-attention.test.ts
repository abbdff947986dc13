import { describe, expect, it } from 'vitest';
import { manualTimers } from '../../../tests/support/manual-timers.js';
import type { ApprovalView } from '../../core/approvals/approval-broker.js';
import { approvalViewFixture } from '../../../tests/support/approval-view.fixture.js';
import { reminderDueAt } from '../../shared/attention.contract.js';
import { ApprovalAttention, attentionSummary, type AttentionSinks } from './approval-attention.js';

const T0 = 1_700_000_000_000;

function view(requestId: string, lifetimeMs = 120_000, createdAt = T0): ApprovalView {
  return approvalViewFixture({ requestId, createdAt, expiresAt: createdAt + lifetimeMs });
}

function recorder(focused = false) {
  const log: string[] = [];
  const state = { focused };
  const sinks: AttentionSinks = {
    setBadgeCount: (n) => log.push(`badge ${n}`),
    setTray: (s) => log.push(`tray ${s.trayTitle || '-'} | ${s.trayTooltip}`),
    flashFrame: (on) => log.push(`flash ${on}`),
    isWindowFocused: () => state.focused,
    notify: (v, kind, left) => log.push(`notify ${kind} ${v.requestId} ${left}s`),
  };
  return { log, sinks, state };
}

describe('attentionSummary', () => {
  it('counts pending requests for the badge and the tray, and clears them at zero', () => {
    expect(attentionSummary(2)).toEqual({ badgeCount: 2, trayTooltip: 'Memory Vault — 2 pending approvals', trayTitle: '2' });
    expect(attentionSummary(1).trayTooltip).toBe('Memory Vault — 1 pending approval');
    expect(attentionSummary(0)).toEqual({ badgeCount: 0, trayTooltip: 'Memory Vault — no pending approvals', trayTitle: '' });
  });
});

describe('reminderDueAt', () => {
  it('is the lead before expiry, or half the lifetime for a short-lived request', () => {
    expect(reminderDueAt(view('a', 120_000), 30_000)).toBe(T0 + 90_000);
    expect(reminderDueAt(view('a', 20_000), 30_000)).toBe(T0 + 10_000);
  });
});

describe('ApprovalAttention', () => {
  it('badges, flashes and notifies a new request while the window is in the background, then reminds before expiry', () => {
    const timers = manualTimers(T0);
    const r = recorder(false);
    const a = new ApprovalAttention(r.sinks, timers, 30_000);
    a.update([view('req-1')]);
    expect(r.log).toEqual(['badge 1', 'tray 1 | Memory Vault — 1 pending approval', 'flash true', 'notify new req-1 120s']);
    r.log.length = 0;
    timers.advance(89_000);
    expect(r.log).toEqual([]);
    timers.advance(1_000);
    expect(r.log).toEqual(['notify reminder req-1 30s']);
  });

  it('stops flashing when the window is focused, and notifies nothing while it is in front', () => {
    const timers = manualTimers(T0);
    const r = recorder(false);
    const a = new ApprovalAttention(r.sinks, timers, 30_000);
    a.update([view('req-1')]);
    r.state.focused = true;
    a.windowFocused();
    expect(r.log.at(-1)).toBe('flash false');
    r.log.length = 0;
    a.update([view('req-1'), view('req-2')]);
    timers.advance(120_000);
    expect(r.log.filter((l) => l.startsWith('notify') || l.startsWith('flash'))).toEqual([]);
    expect(r.log).toContain('badge 2');
  });

  it('cancels the reminder of a request decided before it, and clears badge and flash when none is left', () => {
    const timers = manualTimers(T0);
    const r = recorder(false);
    const a = new ApprovalAttention(r.sinks, timers, 30_000);
    a.update([view('req-1')]);
    expect(timers.waiting()).toBe(1);
    r.log.length = 0;
    a.update([]);
    expect(timers.waiting()).toBe(0);
    expect(r.log).toEqual(['badge 0', 'tray - | Memory Vault — no pending approvals', 'flash false']);
    timers.advance(200_000);
    expect(r.log).toHaveLength(3);
  });

  it('announces a request only once however often the list is reported', () => {
    const timers = manualTimers(T0);
    const r = recorder(false);
    const a = new ApprovalAttention(r.sinks, timers, 30_000);
    a.update([view('req-1')]);
    a.update([view('req-1')]);
    a.update([view('req-1'), view('req-2', 120_000, T0 + 1_000)]);
    expect(r.log.filter((l) => l.startsWith('notify'))).toEqual(['notify new req-1 120s', 'notify new req-2 121s']);
    a.clear();
    expect(timers.waiting()).toBe(0);
    expect(r.log.at(-1)).toBe('flash false');
  });
});
