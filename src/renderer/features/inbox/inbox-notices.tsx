// Notices for requests that ended badly while the window was open — refused by the environment
// (no dialog was ever shown), failed at the security key, or expired — so the owner hears of
// them wherever they are in the app. Entries already there when the window opened are not news.
import { useState } from 'react';
import type { InboxEntryDto } from '../../../shared/inbox.contract.js';
import { neutraliseLine } from '../../../shared/agent-text.js';
import { Button } from '../../components/button.js';
import { NOTICE_OUTCOMES, outcomeLabel, requesterName } from './inbox-text.js';
import { useInbox } from './use-inbox.js';

export function InboxNotices() {
  const inbox = useInbox();
  // The newest position seen at first load; only later entries are notices.
  const [since, setSince] = useState<number | null>(null);
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(() => new Set());
  const entries = inbox.data;
  if (entries && since === null) setSince(entries[0]?.seq ?? -1);
  const notices =
    since === null || !entries ? [] : entries.filter((e) => e.seq > since && NOTICE_OUTCOMES.has(e.outcome) && !dismissed.has(e.id));
  if (notices.length === 0) return null;
  return (
    <section className="inbox-notices" aria-label="Requests that ended without release">
      {notices.slice(0, 3).map((e) => (
        <Notice key={e.id} entry={e} onDismiss={() => setDismissed((s) => new Set([...s, e.id]))} />
      ))}
    </section>
  );
}

function Notice({ entry: e, onDismiss }: { entry: InboxEntryDto; onDismiss: () => void }) {
  return (
    <div className="inbox-notice" role="alert" data-testid="inbox-notice" data-outcome={e.outcome}>
      <p>
        <strong>{outcomeLabel(e)}</strong>: {requesterName(e)} asked for{' '}
        {e.memory ? `level-${e.memory.level} memory ${e.memory.shortId}` : 'a memory'}
        {e.reason && <> — {neutraliseLine(e.reason)}</>}
      </p>
      <Button variant="ghost" onClick={onDismiss} aria-label={`Dismiss the notice about ${requesterName(e)}'s request`}>
        Dismiss
      </Button>
    </div>
  );
}
