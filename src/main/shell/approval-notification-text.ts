// What an OS notification about a pending approval says. Invariant: a notification can show on a
// lock screen or a shared display, so it never carries content or the justification, and the title
// of a level ≥ 3 memory appears only when the owner opted in (desktop setting, off by default).
// Agent-supplied text (agent name, title) is neutralised like everywhere else. Pure: no Electron,
// so it is tested in plain Node.
import type { ApprovalView } from '../../core/approvals/approval-broker.js';
import { neutraliseLine } from '../../core/text/terminal-text.js';

/** Titles of memories at this level or above stay off notifications unless the owner opts in. */
export const PRIVATE_TITLE_LEVEL = 3;

export interface NotificationPrivacy {
  /** The owner's opt-in (settings: notifySealedTitles); false unless they chose otherwise. */
  readonly showSealedTitles: boolean;
}

export interface NotificationText {
  readonly title: string;
  readonly body: string;
}

export function approvalNotificationText(view: ApprovalView, privacy: NotificationPrivacy): NotificationText {
  const who = neutraliseLine(view.requester.name);
  const showTitle = view.level < PRIVATE_TITLE_LEVEL || privacy.showSealedTitles;
  return {
    title: 'Approval needed',
    body: showTitle
      ? `${who} asks to recall a level-${view.level} memory: “${neutraliseLine(view.memory.title)}”`
      : `${who} asks to recall a level-${view.level} memory. Open Memory Vault to see which one.`,
  };
}

/** The reminder shortly before a request expires: the same privacy-kept body, a title saying how long is left. */
export function approvalReminderText(view: ApprovalView, privacy: NotificationPrivacy, secondsLeft: number): NotificationText {
  return { ...approvalNotificationText(view, privacy), title: `Approval expires in ${secondsLeft} s` };
}
