// Approvals that cannot be missed (issue 15 item 5): the pending count on the dock/taskbar badge
// and the tray, a window attention request (flashFrame) and an OS notification for each new
// request while the window is not in front, and a reminder notification shortly before a request
// expires. Plain Node: the Electron calls are injected sinks (index.ts), so every decision here
// is tested with a fake clock. Invariant: notifications carry only approvalNotificationText's
// words (agent name, level, and a title only where the owner allowed it).
import type { ApprovalView } from '../../core/approvals/approval-broker.js';
import { APPROVAL_REMINDER_LEAD_MS, reminderDueAt } from '../../shared/attention.contract.js';
import { realTimers, type Timers } from '../services/timers.js';

export interface AttentionSummary {
  /** Dock / taskbar badge (app.setBadgeCount); 0 clears it. */
  readonly badgeCount: number;
  readonly trayTooltip: string;
  /** Short text beside the tray icon where the platform shows one (macOS). */
  readonly trayTitle: string;
}

export function attentionSummary(pending: number): AttentionSummary {
  if (pending <= 0) return { badgeCount: 0, trayTooltip: 'Memory Vault — no pending approvals', trayTitle: '' };
  return {
    badgeCount: pending,
    trayTooltip: `Memory Vault — ${pending} pending approval${pending === 1 ? '' : 's'}`,
    trayTitle: String(pending),
  };
}

export interface AttentionSinks {
  setBadgeCount(count: number): void;
  setTray(summary: AttentionSummary): void;
  flashFrame(on: boolean): void;
  isWindowFocused(): boolean;
  /** An OS notification; its click focuses the window and the approval dialog. */
  notify(view: ApprovalView, kind: 'new' | 'reminder', secondsLeft: number): void;
}

export class ApprovalAttention {
  /** requestId → cancel of its pending reminder. */
  private readonly tracked = new Map<string, () => void>();
  private flashing = false;

  constructor(
    private readonly sinks: AttentionSinks,
    private readonly timers: Timers = realTimers,
    private readonly leadMs = APPROVAL_REMINDER_LEAD_MS,
  ) {}

  /** Call with the current pending list after every approval change. */
  update(pending: readonly ApprovalView[]): void {
    const summary = attentionSummary(pending.length);
    this.sinks.setBadgeCount(summary.badgeCount);
    this.sinks.setTray(summary);
    const live = new Set(pending.map((v) => v.requestId));
    for (const [id, cancel] of this.tracked) {
      if (live.has(id)) continue;
      cancel();
      this.tracked.delete(id);
    }
    for (const view of pending) if (!this.tracked.has(view.requestId)) this.track(view);
    if (pending.length === 0) this.flash(false);
  }

  /** The window came to the front: the owner has seen it, stop asking for attention. */
  windowFocused(): void {
    this.flash(false);
  }

  /** Stop every timer (the vault locked or the app quits). */
  clear(): void {
    for (const cancel of this.tracked.values()) cancel();
    this.tracked.clear();
    this.update([]);
  }

  private track(view: ApprovalView): void {
    this.alert(view, 'new');
    const wait = reminderDueAt(view, this.leadMs) - this.timers.now();
    const cancel =
      wait > 0
        ? this.timers.schedule(() => {
            if (this.tracked.has(view.requestId)) this.alert(view, 'reminder');
          }, wait)
        : () => undefined;
    this.tracked.set(view.requestId, cancel);
  }

  private alert(view: ApprovalView, kind: 'new' | 'reminder'): void {
    // In front already: the dialog is on screen, a notification would only repeat it.
    if (this.sinks.isWindowFocused()) return;
    this.flash(true);
    this.sinks.notify(view, kind, Math.max(0, Math.round((view.expiresAt - this.timers.now()) / 1000)));
  }

  private flash(on: boolean): void {
    if (this.flashing === on) return;
    this.flashing = on;
    this.sinks.flashFrame(on);
  }
}
