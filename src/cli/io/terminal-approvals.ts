// The owner's terminal as an approval channel for `memory-vault serve`: pending requests are
// shown one at a time, oldest first, with everything the owner needs to decide; nothing is
// approved without an explicit answer, and requests that expire meanwhile are skipped.
import { createInterface } from 'node:readline';
import type { ApprovalBroker, ApprovalView } from '../../core/approvals/approval-broker.js';
import { isVaultError } from '../../core/errors.js';
import { LEVEL_NAMES } from '../../core/levels.js';

export function describeRequest(v: ApprovalView, now = Date.now()): string {
  const m = v.memory;
  const meta = Object.entries(m.metadata).map(([k, val]) => `${k}=${String(val)}`).join(', ');
  return [
    `APPROVAL REQUEST ${v.requestId}`,
    `  agent:         ${v.requester.name} (${v.requester.type} ${v.requester.id})`,
    `  memory:        ${m.shortId} "${m.title}"  level ${v.level} (${LEVEL_NAMES[v.level]})  namespace ${m.namespace}`,
    ...(meta ? [`  metadata:      ${meta}`] : []),
    ...(m.tags.length ? [`  tags:          ${m.tags.join(', ')}`] : []),
    `  justification: ${v.justification || '(none given)'}`,
    `  environment:   ${v.environment}`,
    `  expires in:    ${Math.max(0, Math.round((v.expiresAt - now) / 1000))} s`,
  ].join('\n');
}

export function attachTerminalApprovals(broker: ApprovalBroker, input: NodeJS.ReadableStream, output: NodeJS.WritableStream): () => void {
  const rl = createInterface({ input, output, terminal: false });
  let current: ApprovalView | null = null;
  const promptNext = () => {
    if (current && broker.view(current.requestId).state === 'pending') return;
    current = broker.pending().sort((a, b) => a.createdAt - b.createdAt)[0] ?? null;
    if (!current) return;
    output.write(`\n${describeRequest(current)}\n`);
    output.write(current.grantAllowed ? 'Approve? [y]es / [n]o / [g N] approve and allow for N minutes > ' : 'Approve? [y]es / [n]o > ');
  };
  const unsubscribe = broker.onDidChange(() => setImmediate(promptNext));
  rl.on('line', (line) => {
    const req = current;
    if (!req) return;
    const answer = line.trim().toLowerCase();
    const grant = /^g(?:rant)?\s+(\d{1,2})$/.exec(answer);
    try {
      if (answer === 'y' || answer === 'yes') broker.decide(req.requestId, { approve: true }, 'terminal', req.digest);
      else if (grant && req.grantAllowed) broker.decide(req.requestId, { approve: true, grantMinutes: Number(grant[1]) }, 'terminal', req.digest);
      else if (answer === 'n' || answer === 'no') broker.decide(req.requestId, { approve: false }, 'terminal', req.digest);
      else {
        output.write('Please answer y, n' + (req.grantAllowed ? ' or g N' : '') + ' > ');
        return;
      }
      output.write(`${answer.startsWith('n') ? 'Denied' : 'Approved'}.\n`);
    } catch (e) {
      output.write(`${isVaultError(e) ? e.message : 'Could not record the decision.'}\n`);
    }
    current = null;
    promptNext();
  });
  promptNext();
  return () => {
    unsubscribe();
    rl.close();
  };
}
