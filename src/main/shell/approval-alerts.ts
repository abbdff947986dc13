// Electron glue for approval attention (decisions in approval-attention.ts): the dock/taskbar
// badge, the tray's tooltip and title, the window's flashFrame and the OS notifications, whose
// click brings the window forward and puts the keyboard focus on the approval dialog.
import { app, type BrowserWindow, type Tray } from 'electron';
import { approvalFocusEvent } from '../../shared/attention.contract.js';
import type { DesktopBackend } from '../services/desktop-backend.service.js';
import { ApprovalAttention } from './approval-attention.js';
import { notifyApproval } from './approval-notifier.js';

export function startApprovalAlerts(opts: {
  readonly backend: DesktopBackend;
  readonly tray: Tray;
  readonly window: () => BrowserWindow | null;
  /** Open (if closed), restore and focus the main window. */
  readonly focus: () => void;
}): ApprovalAttention {
  const { backend, tray, window } = opts;
  const attention = new ApprovalAttention({
    setBadgeCount: (count) => void app.setBadgeCount(count),
    setTray: (s) => {
      tray.setToolTip(s.trayTooltip);
      tray.setTitle(s.trayTitle);
    },
    flashFrame: (on) => window()?.flashFrame(on),
    isWindowFocused: () => window()?.isFocused() ?? false,
    notify: (view, kind, secondsLeft) =>
      notifyApproval(view, kind, secondsLeft, { showSealedTitles: backend.notifySealedTitles }, () => {
        opts.focus();
        window()?.webContents.send(approvalFocusEvent.channel, { requestId: view.requestId });
      }),
  });
  backend.onApprovalsChanged(() => attention.update(backend.isUnlocked ? backend.pendingApprovals() : []));
  backend.onDidLock(() => attention.clear());
  app.on('browser-window-focus', () => attention.windowFocused());
  return attention;
}
