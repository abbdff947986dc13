// A system notification when an agent asks for approval; clicking it brings the window forward.
// The text (approval-notification-text.ts) names the agent and, below level 3 or when the owner
// opted in, the memory title: never content, never the justification.
import { Notification } from 'electron';
import type { ApprovalView } from '../../core/approvals/approval-broker.js';
import { approvalNotificationText, type NotificationPrivacy } from './approval-notification-text.js';

export function notifyPendingApproval(view: ApprovalView, focus: () => void, privacy: NotificationPrivacy): void {
  if (view.state !== 'pending' || !Notification.isSupported()) return;
  const n = new Notification({ ...approvalNotificationText(view, privacy), silent: false });
  n.on('click', focus);
  n.show();
}
