// System notifications about a pending approval (a new request, or the reminder before it
// expires); clicking one brings the window forward with the approval dialog focused. The text
// (approval-notification-text.ts) names the agent and, below level 3 or when the owner opted in,
// the memory title: never content, never the justification. When to notify: approval-attention.ts.
import { Notification } from 'electron';
import type { ApprovalView } from '../../core/approvals/approval-broker.js';
import { approvalNotificationText, approvalReminderText, type NotificationPrivacy } from './approval-notification-text.js';

export function notifyApproval(
  view: ApprovalView,
  kind: 'new' | 'reminder',
  secondsLeft: number,
  privacy: NotificationPrivacy,
  onClick: () => void,
): void {
  if (view.state !== 'pending' || !Notification.isSupported()) return;
  const text = kind === 'new' ? approvalNotificationText(view, privacy) : approvalReminderText(view, privacy, secondsLeft);
  const n = new Notification({ ...text, silent: false, urgency: kind === 'reminder' ? 'critical' : 'normal' });
  n.on('click', onClick);
  n.show();
}
