// One pending recall, shown to the owner. Deny has the initial focus (the safe default); Escape
// denies; approving a level-3 request may grant the agent this memory for a few minutes.
import { useId, useRef, useState } from 'react';
import type { ApprovalDto } from '../../../shared/approvals.contract.js';
import { Button } from '../../components/button.js';
import { Countdown } from '../../components/countdown.js';
import { LevelBadge } from '../../components/level-badge.js';
import { Modal } from '../../components/modal.js';
import { ErrorNotice } from '../../components/states.js';
import { formatTime } from '../../lib/format.js';

const GRANT_CHOICES = [0, 5, 15, 30, 60] as const;

interface Props {
  readonly request: ApprovalDto;
  readonly position: number;
  readonly total: number;
  readonly busy: boolean;
  readonly error: unknown;
  readonly onDecide: (approve: boolean, grantMinutes: number) => void;
}

export function ApprovalDialog({ request, position, total, busy, error, onDecide }: Props) {
  const id = useId();
  const denyRef = useRef<HTMLButtonElement>(null);
  const [grant, setGrant] = useState(0);
  const m = request.memory;
  return (
    <Modal role="alertdialog" labelledBy={`${id}-title`} describedBy={`${id}-why`} initialFocus={denyRef} onEscape={() => !busy && onDecide(false, 0)} className="approval-dialog">
      <header className="modal-header">
        <h2 id={`${id}-title`}>
          <span data-testid="approval-agent">{request.requester.name}</span> asks to recall a memory
        </h2>
        {total > 1 && <span className="queue-count">{`Request ${position} of ${total}`}</span>}
      </header>
      <div className="approval-memory">
        <LevelBadge level={request.level} />
        <strong data-testid="approval-memory-title">{m.title}</strong>
      </div>
      <dl className="meta-grid">
        <dt>Agent</dt>
        <dd>
          {request.requester.name} <span className="muted">({request.requester.type} {request.requester.id})</span>
        </dd>
        <dt>Memory</dt>
        <dd>
          <code>{m.shortId}</code> in <code>{m.namespace}</code>
          {m.tags.length > 0 && <span className="muted"> · {m.tags.join(', ')}</span>}
        </dd>
        <dt>Created</dt>
        <dd>{formatTime(m.createdAt)}</dd>
        <dt>Environment</dt>
        <dd>{request.environment}</dd>
      </dl>
      <section className="justification" aria-label="Justification">
        <h3>Justification</h3>
        <p id={`${id}-why`} data-testid="approval-justification">
          {request.justification || <em>The agent gave no justification.</em>}
        </p>
      </section>
      <p>
        <Countdown until={request.expiresAt} />
      </p>
      {request.grantAllowed && (
        <p className="grant">
          <label htmlFor={`${id}-grant`}>Allow for</label>
          <select id={`${id}-grant`} value={grant} onChange={(e) => setGrant(Number(e.target.value))}>
            {GRANT_CHOICES.map((n) => (
              <option key={n} value={n}>
                {n === 0 ? 'this recall only' : `${n} minutes (this agent, this memory)`}
              </option>
            ))}
          </select>
        </p>
      )}
      {error !== null && <ErrorNotice error={error} />}
      <footer className="modal-actions">
        <Button ref={denyRef} variant="secondary" disabled={busy} onClick={() => onDecide(false, 0)}>
          Deny
        </Button>
        <Button variant="primary" disabled={busy} onClick={() => onDecide(true, grant)}>
          Approve
        </Button>
      </footer>
    </Modal>
  );
}
