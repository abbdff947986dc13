// How an inbox entry is said in words: one sentence per outcome, naming who got what.
import { neutraliseLine } from '../../../shared/agent-text.js';
import type { InboxEntryDto, InboxOutcome } from '../../../shared/inbox.contract.js';

export function requesterName(e: InboxEntryDto): string {
  return neutraliseLine(e.requester.name ?? `unknown ${e.requester.type} ${e.requester.id.slice(0, 8)}`);
}

export function outcomeLabel(e: InboxEntryDto): string {
  const who = requesterName(e);
  const labels: Record<InboxOutcome, string> = {
    released: `Released to ${who}`,
    approved: 'Approved — delivery pending',
    denied: 'Denied',
    expired: 'Expired unanswered',
    cancelled: 'Cancelled',
    refused: e.code === 'BOUNDARY_DENIED' ? 'Refused by the environment' : 'Refused',
    failed: 'Approved, then failed — nothing released',
  };
  return labels[e.outcome];
}

/** Outcomes the owner is told about as they happen (a notice), not only in the inbox list. */
export const NOTICE_OUTCOMES: ReadonlySet<InboxOutcome> = new Set(['refused', 'failed', 'expired']);
