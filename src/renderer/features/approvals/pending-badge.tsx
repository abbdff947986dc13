// The pending-approval count in the header (a badge with an accessible name) and in the window
// title — the title is what the taskbar and window switcher show — and, shortly before the
// oldest request expires, a banner above everything, including the dialog's backdrop. Main adds
// the dock/taskbar badge, tray count, attention request and notifications (shell/approval-attention.ts).
import { useEffect } from 'react';
import { createPortal } from 'react-dom';
import { APPROVAL_REMINDER_LEAD_MS, reminderDueAt } from '../../../shared/attention.contract.js';
import { neutraliseLine } from '../../../shared/agent-text.js';
import type { ApprovalDto } from '../../../shared/approvals.contract.js';
import { useNow } from '../../components/countdown.js';
import { formatRemaining } from '../../lib/format.js';
import { usePendingApprovals } from './use-approvals.js';
import { useApprovalFocusRequests } from './use-approval-focus.js';

const BASE_TITLE = 'Memory Vault';

export function pendingLabel(count: number): string {
  return count === 0 ? 'No pending approvals' : `${count} pending approval${count === 1 ? '' : 's'}`;
}

export function windowTitle(count: number): string {
  return count === 0 ? BASE_TITLE : `(${count}) ${BASE_TITLE} — approval needed`;
}

export function PendingBadge() {
  const pending = usePendingApprovals();
  const list = pending.data ?? [];
  const count = list.length;
  useApprovalFocusRequests();
  useEffect(() => {
    document.title = windowTitle(count);
  }, [count]);
  return (
    <>
      <span
        className={`pending-count pending-badge${count > 0 ? ' pending-badge-active' : ''}`}
        role="status"
        aria-label={pendingLabel(count)}
      >
        {count > 0 && (
          <span className="pending-badge-count" aria-hidden="true">
            {count}
          </span>
        )}
        <span aria-hidden="true">{count === 0 ? 'No pending approvals' : `pending approval${count === 1 ? '' : 's'}`}</span>
      </span>
      {count > 0 && <ExpiryReminder requests={list} />}
    </>
  );
}

/** Shown once the first request to expire is within its reminder time; gone when it is decided or expired. */
function ExpiryReminder({ requests }: { requests: readonly ApprovalDto[] }) {
  const now = useNow();
  const due = requests
    .filter((r) => now >= reminderDueAt(r, APPROVAL_REMINDER_LEAD_MS) && now < r.expiresAt)
    .toSorted((a, b) => a.expiresAt - b.expiresAt)[0];
  if (!due) return null;
  // On <body>, not in the header: the sticky header is its own stacking context, below the dialog's backdrop.
  return createPortal(
    <p className="expiry-reminder" role="alert" data-testid="approval-expiry-reminder">
      {/* The time is the reminder's lead, not a ticking clock: an alert that changed every second would be re-announced. */}
      <strong>Decide soon:</strong> the request from {neutraliseLine(due.requester.name)} expires within{' '}
      {formatRemaining(due.expiresAt - reminderDueAt(due, APPROVAL_REMINDER_LEAD_MS))}. Unanswered, it is refused.
    </p>,
    document.body,
  );
}
