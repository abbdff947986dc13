// A system notification when an agent asks for approval; clicking it brings the window forward.
// The text names the agent and the memory title only: no content, no justification.
import { Notification } from 'electron';
import type { ApprovalView } from '../../core/approvals/approval-broker.js';

export function notifyPendingApproval(view: ApprovalView, focus: () => void): void {
  if (view.state !== 'pending' || !Notification.isSupported()) return;
  const n = new Notification({
    title: 'Approval needed',
    body: `${view.requester.name} asks to recall a level-${view.level} memory: “${view.memory.title}”`,
    silent: false,
  });
  n.on('click', focus);
  n.show();
}
