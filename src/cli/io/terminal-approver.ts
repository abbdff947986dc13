// The owner's terminal as an approval channel for CLI recalls. Without a terminal there is no
// owner to ask, so the gate answers 'unavailable' and the recall is refused (fail closed).
import { LEVEL_NAMES } from '../../core/levels.js';
import type { ApprovalGate } from '../../core/ports/approval-gate.port.js';
import { neutraliseLine } from '../../core/text/terminal-text.js';
import { describePurpose } from './approval-request-text.js';
import { hasTty, promptLine } from './tty-prompt.js';

export function terminalApprover(): ApprovalGate {
  return {
    async requestApproval(req) {
      if (!hasTty()) return { outcome: 'unavailable' };
      const m = req.memory;
      // Issue 19: a use names the exact command its value is resolved for (describePurpose).
      const purpose = req.purpose ? `${describePurpose(req.purpose).join('\n')}\n` : '';
      const answer = await promptLine(
        `${req.purpose ? 'Use' : 'Recall'} level ${m.level} (${LEVEL_NAMES[m.level]}) memory ${m.shortId} "${neutraliseLine(m.title)}" (title written by ${neutraliseLine(m.createdBy)})?\n` +
          purpose +
          `  environment: ${neutraliseLine(req.environment)}\n  Approve? [y/N] `,
        false,
      );
      return /^y(es)?$/i.test(answer.trim()) ? { outcome: 'approved', channel: 'terminal' } : { outcome: 'denied', channel: 'terminal' };
    },
  };
}
