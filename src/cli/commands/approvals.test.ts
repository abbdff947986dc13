// `memory-vault approvals` interactively, against a fake owner channel whose list the test
// changes: the same deliberate prompt as serve's. A request that stops waiting between polls is
// redrawn away (NEXT REQUEST), keys typed before the question are discarded, and the decision sent
// carries the digest of the view drawn, which the fake server checks as the broker does.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { digestMatches } from '../../core/approvals/approval-digest.js';
import { VaultError } from '../../core/errors.js';
import { ARMING_MS } from '../io/approval-prompt.js';
import { ownerApprovalSession, POLL_MS, type OwnerCall } from './approvals.js';

const NOW = Date.UTC(2030, 0, 1);
const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';

function wire(requestId: string, title: string, createdAt: number) {
  return {
    requestId,
    state: 'pending',
    level: 3,
    requester: { type: 'agent', id: `agent-${requestId.slice(0, 4)}`, name: 'bot' },
    memory: {
      id: `${requestId.slice(0, 8)}-aaaa-4aaa-8aaa-aaaaaaaaaaaa`,
      shortId: requestId.slice(0, 8),
      namespace: 'default',
      createdBy: 'agent:bot',
      title,
      tags: [],
      metadata: {},
      size: 10,
    },
    justification: 'routine check',
    environment: 'air-gapped',
    createdAt,
    expiresAt: NOW + 60_000,
    grantAllowed: false,
    decidedBy: null,
    digest: 'f'.repeat(64),
  };
}
type Wire = ReturnType<typeof wire>;

/** Timers by delay, fired by hand: the arming interval and the poll interval pass separately. */
function manualTimers() {
  const queue: { fn: () => void; ms: number; cancelled: boolean }[] = [];
  return {
    schedule(fn: () => void, ms: number) {
      const t = { fn, ms, cancelled: false };
      queue.push(t);
      return () => {
        t.cancelled = true;
      };
    },
    fire(ms: number) {
      const due = queue.filter((t) => t.ms === ms && !t.cancelled);
      for (const t of due) queue.splice(queue.indexOf(t), 1);
      for (const t of due) t.fn();
    },
  };
}

const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
};

const decideParams = z.object({ requestId: z.string(), approve: z.boolean(), digest: z.string() });

function fakeServer(initial: Wire[]) {
  let pending = initial;
  const decisions: { requestId: string; approve: boolean; digest: string }[] = [];
  const call: OwnerCall = (method, params) => {
    if (method === 'approvals.list') return Promise.resolve(pending);
    const p = decideParams.parse(params);
    decisions.push({ requestId: p.requestId, approve: p.approve, digest: p.digest });
    const v = pending.find((x) => x.requestId === p.requestId);
    if (!v) return Promise.reject(new VaultError('NOT_FOUND', 'No such pending approval request.'));
    if (!digestMatches(v, p.digest)) return Promise.reject(new VaultError('APPROVAL_MISMATCH', 'Not the request shown.'));
    pending = pending.filter((x) => x !== v);
    return Promise.resolve({ ...v, state: p.approve ? 'approved' : 'denied' });
  };
  return { call, decisions, set: (next: Wire[]) => (pending = next) };
}

describe('memory-vault approvals (interactive)', () => {
  it('redraws a changed head as NEXT REQUEST, discards early keys, sends the drawn view’s digest, and ends when nothing waits', async () => {
    const a = wire(A, 'harmless lookup', NOW);
    const b = wire(B, 'l3 sealed launch codes', NOW + 1);
    const server = fakeServer([a]);
    const input = new PassThrough();
    const out = new PassThrough();
    let screen = '';
    out.on('data', (d: Buffer) => (screen += d.toString('utf8')));
    const timers = manualTimers();
    let result: number | undefined;
    const session = ownerApprovalSession(server.call, input, out, { schedule: (fn, ms) => timers.schedule(fn, ms), now: () => NOW }).then(
      (n) => (result = n),
    );
    await settle();
    expect(screen).toContain(`APPROVAL REQUEST ${A}`);
    input.write('y\n'); // before the question: discarded
    await settle();
    expect(server.decisions).toEqual([]);
    timers.fire(ARMING_MS);
    expect(screen).toContain('Approve?');
    input.write('y'); // the owner starts answering A…
    server.set([b]); // …A expires and B arrives on the server
    timers.fire(POLL_MS);
    await settle();
    const afterSwitch = screen.slice(screen.lastIndexOf('no longer waiting'));
    expect(afterSwitch).toContain('The keys you typed were discarded.');
    expect(afterSwitch).toContain('NEXT REQUEST');
    expect(afterSwitch).toContain(`APPROVAL REQUEST ${B}`);
    input.write('\ny\n'); // lands on B before its question
    await settle();
    expect(server.decisions).toEqual([]);
    timers.fire(ARMING_MS);
    input.write('n\n');
    await settle();
    expect(server.decisions).toHaveLength(1);
    expect(server.decisions[0]).toMatchObject({ requestId: B, approve: false });
    // The fake server accepted it: the digest is that of B as drawn (checked against B, not the wire field).
    expect(screen).toContain('Denied.');
    expect(result).toBeUndefined();
    timers.fire(POLL_MS); // the next poll finds nothing pending
    await settle();
    await session;
    expect(result).toBe(1);
  });

  it('a server error while polling ends the session with that error', async () => {
    const server = fakeServer([wire(A, 'x', NOW)]);
    let calls = 0;
    const failing: OwnerCall = (method, params) =>
      ++calls > 1 ? Promise.reject(new VaultError('VAULT_LOCKED', 'closed')) : server.call(method, params);
    const timers = manualTimers();
    const session = ownerApprovalSession(failing, new PassThrough(), new PassThrough(), {
      schedule: (fn, ms) => timers.schedule(fn, ms),
      now: () => NOW,
    });
    await settle();
    timers.fire(POLL_MS);
    await expect(session).rejects.toMatchObject({ code: 'VAULT_LOCKED' });
  });

  it('a malformed list from the server is refused, not drawn', async () => {
    const call: OwnerCall = () => Promise.resolve([{ requestId: 'not-a-uuid' }]);
    await expect(ownerApprovalSession(call, new PassThrough(), new PassThrough())).rejects.toThrow();
  });
});
