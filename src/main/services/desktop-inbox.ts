// The owner's inbox over the open session: the newest audit events folded into entries
// (inbox-entries.ts), with agent names from the registry and memory titles under the
// notification rule (level ≥ 3 titles only when the owner opted in to them).
import { isVaultError } from '../../core/errors.js';
import { INBOX_MAX, type InboxEntryDto } from '../../shared/inbox.contract.js';
import { PRIVATE_TITLE_LEVEL } from '../shell/approval-notification-text.js';
import { toAuditEventDto } from './audit-dto.js';
import type { DesktopBackend } from './desktop-backend.service.js';
import { buildInbox, type InboxNames } from './inbox-entries.js';

/** How far back the inbox looks: enough leaves for INBOX_MAX requests with their decisions and deliveries. */
const SCAN_EVENTS = 4000;

export class DesktopInbox {
  constructor(private readonly backend: DesktopBackend) {}

  list(limit: number = 50): InboxEntryDto[] {
    const session = this.backend.currentSession();
    const records = session.engine.auditLog.list({ newestFirst: true, limit: SCAN_EVENTS });
    const events = records.map(toAuditEventDto).toReversed();
    return buildInbox(events, this.names(), Math.min(limit, INBOX_MAX));
  }

  private names(): InboxNames {
    const agents = new Map(this.backend.listAgents().map((a) => [a.id, a.name]));
    const showSealed = this.backend.notifySealedTitles;
    return {
      agentName: (id) => agents.get(id) ?? null,
      memory: (id) => {
        try {
          const m = this.backend.describe(id);
          return { shortId: m.shortId, level: m.level, title: m.level < PRIVATE_TITLE_LEVEL || showSealed ? m.title : null };
        } catch (e) {
          if (isVaultError(e)) return undefined;
          throw e;
        }
      },
    };
  }
}
