// Approvals that cannot be missed: when the owner clicks an approval notification, main brings
// the window forward and tells the renderer to put the keyboard focus on the approval dialog's
// safe default (Deny), so the next key press acts on the dialog and not on whatever had focus.
import { z } from 'zod';
import { eventContract } from './contract.js';

export const approvalFocusEvent = eventContract('approvals:focus', z.object({ requestId: z.string().min(1).max(100) }).strict());

/** How long before expiry the owner is reminded (OS notification and in-window banner). */
export const APPROVAL_REMINDER_LEAD_MS = 30_000;

/**
 * When the reminder for a request is due (the request's own clock, ms): the lead before expiry,
 * or half-way through a request that lives less than twice the lead.
 */
export function reminderDueAt(
  view: { readonly createdAt: number; readonly expiresAt: number },
  leadMs = APPROVAL_REMINDER_LEAD_MS,
): number {
  const lifetime = view.expiresAt - view.createdAt;
  return view.expiresAt - Math.min(leadMs, Math.max(0, lifetime / 2));
}
