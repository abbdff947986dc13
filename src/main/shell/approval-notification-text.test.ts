import { describe, expect, it } from 'vitest';
import type { ApprovalView } from '../../core/approvals/approval-broker.js';
import type { Level } from '../../core/levels.js';
import { approvalViewFixture } from '../../../tests/support/approval-view.fixture.js';
import { approvalNotificationText, approvalReminderText } from './approval-notification-text.js';

function view(level: Level, title = 'Launch codes', agentName = 'Research Bot'): ApprovalView {
  return approvalViewFixture({ level, title, agentName });
}

const off = { showSealedTitles: false };
const on = { showSealedTitles: true };

describe('approvalNotificationText', () => {
  it('keeps level 3, 4 and 5 titles off the notification by default', () => {
    for (const level of [3, 4, 5] as const) {
      const t = approvalNotificationText(view(level), off);
      expect(t.body).not.toContain('Launch codes');
      expect(t.body).toBe(`Research Bot asks to recall a level-${level} memory. Open Memory Vault to see which one.`);
    }
  });

  it('shows a level ≥ 3 title only when the owner opted in', () => {
    expect(approvalNotificationText(view(3), on).body).toBe('Research Bot asks to recall a level-3 memory: “Launch codes”');
  });

  it('names the memory below level 3', () => {
    expect(approvalNotificationText(view(2, 'Team wiki'), off).body).toBe('Research Bot asks to recall a level-2 memory: “Team wiki”');
  });

  it('never carries the justification, and shows control and bidi characters escaped', () => {
    const t = approvalNotificationText(view(2, 'a\u202eb\u001b[2J', 'Bot\u0007'), on);
    expect(`${t.title} ${t.body}`).not.toContain('justification');
    expect(t.body).toBe('Bot\\x07 asks to recall a level-2 memory: “a\\u202eb\\x1b[2J”');
  });

  it('reminds with the time left and the same private body', () => {
    const t = approvalReminderText(view(4), off, 30);
    expect(t).toEqual({ title: 'Approval expires in 30 s', body: approvalNotificationText(view(4), off).body });
    expect(t.body).not.toContain('Launch codes');
  });
});
