import type { AuditEventDto } from '../../../shared/audit.contract.js';
import { formatTime } from '../../lib/format.js';

export function AuditEventDetail({ event }: { event: AuditEventDto }) {
  return (
    <article className="card detail" aria-labelledby="audit-detail-title">
      <h2 id="audit-detail-title">
        Event #{event.seq}: {event.kind}
      </h2>
      <dl className="meta-grid">
        <dt>Time</dt>
        <dd>{formatTime(event.ts)}</dd>
        <dt>Actor</dt>
        <dd>
          {event.actorName ? <strong>{event.actorName} </strong> : null}
          {event.actor.type} <code>{event.actor.id}</code>
        </dd>
        <dt>Outcome</dt>
        <dd>
          {event.outcome}
          {event.code ? ` (${event.code})` : ''}
        </dd>
        {event.reason && (
          <>
            <dt>Reason</dt>
            <dd>{event.reason}</dd>
          </>
        )}
        {event.memory && (
          <>
            <dt>Memory</dt>
            <dd>
              {event.memoryTitle ? <strong>{event.memoryTitle} </strong> : null}
              <code>{event.memory.id}</code> (level {event.memory.level})
            </dd>
          </>
        )}
        <dt>Leaf hash</dt>
        <dd>
          <code className="wrap">{event.leafHash}</code>
        </dd>
      </dl>
      {event.details && (
        <>
          <h3>Details</h3>
          <pre>{JSON.stringify(event.details, null, 2)}</pre>
        </>
      )}
    </article>
  );
}
