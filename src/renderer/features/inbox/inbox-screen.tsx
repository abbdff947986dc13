// The owner's inbox: what became of recent requests — released (to whom), denied, expired,
// cancelled, refused by the environment before any dialog, or failed at the security key after
// approval — newest first, with the code and reason the vault recorded.
import type { InboxEntryDto } from '../../../shared/inbox.contract.js';
import { neutraliseLine } from '../../../shared/agent-text.js';
import { LevelBadge } from '../../components/level-badge.js';
import { EmptyState, ErrorNotice, Loading } from '../../components/states.js';
import { formatShortTime } from '../../lib/format.js';
import { outcomeLabel, requesterName } from './inbox-text.js';
import { useInbox } from './use-inbox.js';

export function InboxScreen() {
  const inbox = useInbox();
  return (
    <section className="inbox" aria-labelledby="inbox-title">
      <h2 id="inbox-title">Inbox</h2>
      <p className="muted">Recent decisions, expiries and refusals, and what was released to whom.</p>
      {inbox.isPending ? (
        <Loading label="Loading the inbox…" />
      ) : inbox.error ? (
        <ErrorNotice error={inbox.error} />
      ) : inbox.data.length === 0 ? (
        <EmptyState>Nothing yet: requests appear here once they are decided, expire or are refused.</EmptyState>
      ) : (
        <table className="inbox-table" data-testid="inbox-table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who asked</th>
              <th scope="col">Memory</th>
              <th scope="col">Outcome</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {inbox.data.map((e) => (
              <InboxRow key={e.id} entry={e} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function InboxRow({ entry: e }: { entry: InboxEntryDto }) {
  return (
    <tr data-testid="inbox-row" data-outcome={e.outcome}>
      <td className="inbox-when">{formatShortTime(e.at)}</td>
      <td>{requesterName(e)}</td>
      <td>
        {e.memory ? (
          <>
            <LevelBadge level={e.memory.level} /> <code>{e.memory.shortId}</code>
            {e.memory.title !== null && <> {neutraliseLine(e.memory.title)}</>}
          </>
        ) : (
          '—'
        )}
      </td>
      <td>
        <span className={`inbox-outcome inbox-${e.outcome}`}>{outcomeLabel(e)}</span>
        {e.decidedBy && <span className="muted"> · by {neutraliseLine(e.decidedBy)}</span>}
      </td>
      <td>
        {e.code && <code>{e.code}</code>} {e.reason && neutraliseLine(e.reason)}
      </td>
    </tr>
  );
}
