// One pending recall, shown to the owner. Invariants: Deny is the default — it has the initial
// focus, Enter on it and Escape deny; Approve does nothing for an arming interval after the
// dialog appears or switches to another request (the queue remounts this dialog per request), so
// a double click or a click already on its way cannot approve a request the owner has not seen;
// a switch is announced ("Next request", which agent, which memory); what the agent wrote is
// shown apart from the vault's own facts. Approving a level-3 request may grant the agent this
// memory for a few minutes.
import { useId, useRef, useState } from 'react';
import type { ApprovalDto } from '../../../shared/approvals.contract.js';
import { neutraliseLine } from '../../../shared/agent-text.js';
import { Button } from '../../components/button.js';
import { Countdown } from '../../components/countdown.js';
import { LevelBadge } from '../../components/level-badge.js';
import { Modal } from '../../components/modal.js';
import { ErrorNotice } from '../../components/states.js';
import { formatTime } from '../../lib/format.js';
import { AgentWords } from './agent-words.js';
import { EnvironmentVerdict } from './environment-verdict.js';
import { useArmed } from './arming.js';
import { UsePurpose } from './use-purpose.js';

const GRANT_CHOICES = [0, 5, 15, 30, 60] as const;

interface Props {
  readonly request: ApprovalDto;
  readonly position: number;
  readonly total: number;
  readonly busy: boolean;
  readonly error: unknown;
  /** This dialog replaced another request without closing: announce the switch. */
  readonly switched: boolean;
  readonly onDecide: (approve: boolean, grantMinutes: number) => void;
}

export function ApprovalDialog({ request, position, total, busy, error, switched, onDecide }: Props) {
  const id = useId();
  const denyRef = useRef<HTMLButtonElement>(null);
  const [grant, setGrant] = useState(0);
  const armed = useArmed();
  const m = request.memory;
  const agentName = neutraliseLine(request.requester.name);
  const approve = () => {
    // aria-disabled keeps the button focusable and visible; the guard is what ignores it.
    if (!armed || busy) return;
    onDecide(true, grant);
  };
  return (
    <Modal
      role="alertdialog"
      labelledBy={`${id}-title`}
      describedBy={`${id}-why`}
      initialFocus={denyRef}
      onEscape={() => !busy && onDecide(false, 0)}
      className="approval-dialog"
    >
      {switched && (
        <p className="next-request-banner" role="status" data-testid="approval-next-banner">
          <strong>Next request</strong> — {agentName} asks for memory <code>{m.shortId}</code> (level {request.level})
        </p>
      )}
      <header className="modal-header">
        <h2 id={`${id}-title`}>
          <span data-testid="approval-agent">{agentName}</span>{' '}
          {request.purpose ? 'asks to use a memory in a command' : 'asks to recall a memory'}
        </h2>
        {total > 1 && <span className="queue-count">{`Request ${position} of ${total}`}</span>}
      </header>
      <section className="vault-facts" aria-label="Checked by the vault">
        <div className="approval-memory">
          <LevelBadge level={request.level} />
          <code>{m.shortId}</code>
        </div>
        <dl className="meta-grid">
          <dt>Agent</dt>
          <dd>
            {agentName}{' '}
            <span className="muted">
              ({request.requester.type} {neutraliseLine(request.requester.id)})
            </span>
          </dd>
          <dt>Memory</dt>
          <dd>
            <code>{m.shortId}</code> in <code>{neutraliseLine(m.namespace)}</code>
          </dd>
          <dt>Created</dt>
          <dd>{formatTime(m.createdAt)}</dd>
          <dt>Environment</dt>
          <EnvironmentVerdict level={request.level} environment={request.environment} />
          <dt>Expiry</dt>
          <dd>
            <Countdown until={request.expiresAt} />
          </dd>
        </dl>
      </section>
      {request.purpose && <UsePurpose purpose={request.purpose} />}
      <AgentWords request={request} justificationId={`${id}-why`} />
      {request.grantAllowed && (
        <p className="grant">
          <label htmlFor={`${id}-grant`}>Allow for</label>
          <select id={`${id}-grant`} value={grant} onChange={(e) => setGrant(Number(e.target.value))}>
            {GRANT_CHOICES.map((n) => (
              <option key={n} value={n}>
                {n === 0
                  ? request.purpose
                    ? 'this run only'
                    : 'this recall only'
                  : request.purpose
                    ? `${n} minutes (this agent, this memory, this command only)`
                    : `${n} minutes (this agent, this memory)`}
              </option>
            ))}
          </select>
        </p>
      )}
      {request.level === 5 && (
        <p className="key-next" data-testid="approval-key-next">
          Level 5: after you approve, the vault asks you to touch your security key before anything is released.
        </p>
      )}
      {error !== null && <ErrorNotice error={error} />}
      <footer className="modal-actions">
        {!armed && (
          <span className="arming-hint" id={`${id}-arming`} data-testid="approval-arming-hint">
            Approve is available in a moment
          </span>
        )}
        <Button ref={denyRef} variant="primary" disabled={busy} onClick={() => onDecide(false, 0)}>
          Deny
        </Button>
        <Button
          variant="secondary"
          className={armed ? undefined : 'btn-arming'}
          disabled={busy}
          aria-disabled={!armed}
          aria-describedby={armed ? undefined : `${id}-arming`}
          // A stray press while disarmed must not even take the focus from Deny: a later Enter
          // would then land on Approve of a request the owner may not have read.
          onMouseDown={(e) => !armed && e.preventDefault()}
          onClick={approve}
        >
          Approve
        </Button>
      </footer>
    </Modal>
  );
}
