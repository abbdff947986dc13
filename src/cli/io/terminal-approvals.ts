// The owner's terminal as an approval channel for `memory-vault serve`: the shared deliberate
// prompt (approval-prompt.ts) fed by the broker in this process. Pending requests are shown one at
// a time, oldest first; nothing is approved without an explicit answer typed after the arming
// interval for the request on screen, and requests that expire meanwhile are skipped.
//
// Invariant (issue 13): the prompt is told of every broker change, so a request that stops
// waiting is replaced (with its keys discarded) before another key can count; decisions carry the
// digest of the view drawn, which the broker checks (APPROVAL_MISMATCH otherwise).
import type { ApprovalBroker, ApprovalView } from '../../core/approvals/approval-broker.js';
import { attachApprovalPrompt, type ApprovalPromptOptions } from './approval-prompt.js';

// Re-exported: existing callers and tests name them from here.
export { ARMING_MS } from './approval-prompt.js';
export { AGENT_WORDS_LABEL, describeRequest } from './approval-request-text.js';

export type TerminalApprovalOptions = ApprovalPromptOptions;

export function attachTerminalApprovals(
  broker: ApprovalBroker,
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  opts: TerminalApprovalOptions = {},
): () => void {
  const prompt = attachApprovalPrompt<ApprovalView>(
    {
      pending: () => broker.pending(),
      /** The broker forgets long-finished requests; one it no longer knows is certainly not pending. */
      stateOf: (requestId) => {
        try {
          return broker.view(requestId).state;
        } catch {
          return 'gone';
        }
      },
      decide: (view, decision, digest) => {
        broker.decide(view.requestId, decision, 'terminal', digest);
      },
    },
    input,
    output,
    opts,
  );
  const unsubscribe = broker.onDidChange(() => setImmediate(() => prompt.refresh()));
  return () => {
    unsubscribe();
    prompt.detach();
  };
}
