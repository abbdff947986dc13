// The command a use request resolves its secret for (issue 19): "to run `psql …`" with the
// exact command line, every argument boundary quoted, and its directory. The values filling the
// owner's allowed pattern are the agent's choice, so both lines go through the agent-text
// neutraliser like everything else an agent supplied.
import type { ApprovalDto } from '../../../shared/approvals.contract.js';
import { neutraliseLine } from '../../../shared/agent-text.js';
import { commandLineText } from '../../../shared/command-line-text.js';

export function UsePurpose({ purpose }: { readonly purpose: NonNullable<ApprovalDto['purpose']> }) {
  return (
    <section className="use-purpose" aria-label="Command to run">
      <p>
        To run <code data-testid="approval-command-line">{neutraliseLine(commandLineText(purpose.commandLine))}</code>
      </p>
      <p className="muted">
        in <code data-testid="approval-command-cwd">{neutraliseLine(purpose.cwd)}</code> — the secret goes only into this command&apos;s
        environment; its output is masked before the agent sees it.
      </p>
    </section>
  );
}
