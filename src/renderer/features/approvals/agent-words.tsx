// What the agent wrote, shown as such: title, tags, metadata and justification live inside one
// area labelled "Written by the agent", apart from the vault's own facts (who asks, level,
// environment, expiry). React already escapes markup; the neutraliser also shows control, bidi
// and zero-width characters escaped (`\u202e`), so agent text cannot reorder or hide what the
// owner reads.
import type { ApprovalDto } from '../../../shared/approvals.contract.js';
import { neutraliseLine, neutraliseText } from '../../../shared/agent-text.js';

interface Props {
  readonly request: ApprovalDto;
  /** id of the justification paragraph (the dialog's accessible description). */
  readonly justificationId: string;
}

export function AgentWords({ request, justificationId }: Props) {
  const m = request.memory;
  const meta = Object.entries(m.metadata);
  return (
    <section className="agent-words" aria-label="Written by the agent">
      <h3 className="agent-words-label">Written by the agent</h3>
      <dl className="meta-grid">
        <dt>Title</dt>
        <dd data-testid="approval-memory-title">{neutraliseLine(m.title)}</dd>
        {m.tags.length > 0 && (
          <>
            <dt>Tags</dt>
            <dd data-testid="approval-tags">{m.tags.map(neutraliseLine).join(', ')}</dd>
          </>
        )}
        {meta.length > 0 && (
          <>
            <dt>Metadata</dt>
            <dd data-testid="approval-metadata">{meta.map(([k, v]) => `${neutraliseLine(k)}=${neutraliseLine(String(v))}`).join(', ')}</dd>
          </>
        )}
      </dl>
      <h4>Justification</h4>
      <p id={justificationId} className="agent-justification" data-testid="approval-justification">
        {request.justification ? neutraliseText(request.justification) : <em>The agent gave no justification.</em>}
      </p>
    </section>
  );
}
