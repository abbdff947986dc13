// The shared deliberate prompt against a hand-fed source (as `memory-vault approvals` feeds it
// from polls): keys before arming are discarded, a changed head is redrawn as NEXT REQUEST with
// the keys typed for the old one gone, an answer is sent with the digest of the view drawn, and
// keys typed while a decision travels count for nothing. Time is a hand-driven scheduler.
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { OwnerDecision } from '../../core/approvals/approval-broker.js';
import { approvalDigest } from '../../core/approvals/approval-digest.js';
import { VaultError } from '../../core/errors.js';
import { ARMING_MS, attachApprovalPrompt, type ApprovalPrompt } from './approval-prompt.js';
import type { DisplayedRequest } from './approval-request-text.js';

const NOW = Date.UTC(2030, 0, 1);
const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';

function view(requestId: string, title: string, extra: Partial<DisplayedRequest> = {}): DisplayedRequest {
  return {
    requestId,
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
    },
    justification: 'routine check',
    environment: 'air-gapped',
    createdAt: NOW,
    expiresAt: NOW + 60_000,
    grantAllowed: false,
    ...extra,
  };
}

function manualTimers() {
  const queue: { fn: () => void; cancelled: boolean }[] = [];
  return {
    delays: [] as number[],
    schedule(fn: () => void, ms: number) {
      const t = { fn, cancelled: false };
      queue.push(t);
      this.delays.push(ms);
      return () => {
        t.cancelled = true;
      };
    },
    /** The arming interval passes. */
    elapse() {
      for (const t of queue.splice(0)) if (!t.cancelled) t.fn();
    },
  };
}

const tick = () => new Promise<void>((r) => setImmediate(r));

let prompt: ApprovalPrompt | undefined;
afterEach(() => prompt?.detach());

/** A source like the owner-channel one: a list replaced by hand, decisions answered when the test says. */
function setup(initial: DisplayedRequest[]) {
  let pending = initial;
  const sent: { requestId: string; decision: OwnerDecision; digest: string }[] = [];
  const answers: { resolve: () => void; reject: (e: Error) => void }[] = [];
  const input = new PassThrough();
  const out = new PassThrough();
  let screen = '';
  out.on('data', (d: Buffer) => (screen += d.toString('utf8')));
  const timers = manualTimers();
  prompt = attachApprovalPrompt(
    {
      pending: () => pending,
      stateOf: (id) => (pending.some((v) => v.requestId === id) ? 'pending' : 'gone'),
      decide: (v, decision, digest) => {
        sent.push({ requestId: v.requestId, decision, digest });
        return new Promise<void>((resolve, reject) => answers.push({ resolve, reject }));
      },
    },
    input,
    out,
    { schedule: (fn, ms) => timers.schedule(fn, ms), now: () => NOW },
  );
  const p = prompt;
  return {
    timers,
    sent,
    screen: () => screen,
    type: async (keys: string) => {
      input.write(keys);
      await tick();
    },
    /** The server's list changed (a poll came back). */
    list: (next: DisplayedRequest[]) => {
      pending = next;
      p.refresh();
    },
    /** The server answers the oldest decision in flight. */
    answer: async (outcome: 'ok' | Error) => {
      const a = answers.shift();
      if (!a) throw new Error('no decision in flight');
      if (outcome === 'ok') a.resolve();
      else a.reject(outcome);
      await tick();
    },
  };
}

describe('the shared approval prompt', () => {
  it('discards an answer typed before the arming interval and asks only after it', async () => {
    const t = setup([view(A, 'launch codes')]);
    expect(t.screen()).toContain(`APPROVAL REQUEST ${A}`);
    expect(t.screen()).not.toContain('Approve?');
    await t.type('y\n');
    expect(t.sent).toEqual([]);
    expect(t.screen()).toContain('Keys typed before the question appears are discarded.');
    expect(t.timers.delays).toEqual([ARMING_MS]);
    t.timers.elapse();
    expect(t.screen()).toContain('Approve?');
    await t.type('y\n');
    expect(t.sent).toEqual([{ requestId: A, decision: { approve: true }, digest: approvalDigest(view(A, 'launch codes')) }]);
  });

  it('a new head from a poll is drawn as NEXT REQUEST; the "y" typed for the old one never reaches it', async () => {
    const a = view(A, 'harmless lookup');
    const b = view(B, 'l3 sealed launch codes', { createdAt: NOW + 1 });
    const t = setup([a, b]);
    t.timers.elapse();
    await t.type('y'); // the owner starts answering A…
    t.list([b]); // …and the next poll no longer lists it
    const afterSwitch = t.screen().slice(t.screen().lastIndexOf('no longer waiting'));
    expect(afterSwitch).toContain('(gone)');
    expect(afterSwitch).toContain('The keys you typed were discarded.');
    expect(afterSwitch).toContain('NEXT REQUEST');
    expect(afterSwitch).toContain(`APPROVAL REQUEST ${B}`);
    await t.type('\n'); // Enter lands on B before its question
    await t.type('y\n');
    expect(t.sent).toEqual([]);
    t.timers.elapse();
    await t.type('\n'); // nothing buffered from A: an empty answer decides nothing
    expect(t.sent).toEqual([]);
    await t.type('n\n');
    expect(t.sent).toEqual([{ requestId: B, decision: { approve: false }, digest: approvalDigest(b) }]);
  });

  it('the same request id with other fields (a swapped justification) is a different request: redrawn and re-armed', async () => {
    const original = view(A, 'codes');
    const t = setup([original]);
    t.timers.elapse();
    const swapped = view(A, 'codes', { justification: 'something else' });
    t.list([swapped]);
    expect(t.screen()).toContain('NEXT REQUEST');
    await t.type('y\n'); // not armed for the redrawn view
    expect(t.sent).toEqual([]);
    t.timers.elapse();
    await t.type('y\n');
    expect(t.sent).toEqual([{ requestId: A, decision: { approve: true }, digest: approvalDigest(swapped) }]);
    expect(t.sent[0]?.digest).not.toBe(approvalDigest(original));
  });

  it('keys typed while a decision travels count for nothing; the next request is drawn after the answer and armed afresh', async () => {
    const a = view(A, 'first');
    const b = view(B, 'second', { createdAt: NOW + 1 });
    const t = setup([a, b]);
    t.timers.elapse();
    await t.type('y\n');
    expect(t.sent).toHaveLength(1);
    await t.type('y\n'); // a double "y" while the server has not answered yet
    t.list([a, b]); // a poll crossing the decision changes nothing on screen
    expect(t.sent).toHaveLength(1);
    expect(t.screen()).not.toContain(`APPROVAL REQUEST ${B}`);
    t.list([b]);
    await t.answer('ok');
    expect(t.screen()).toContain('Approved.');
    expect(t.screen()).toContain(`APPROVAL REQUEST ${B}`);
    await t.type('y\n'); // B's question is not armed yet
    expect(t.sent).toHaveLength(1);
    t.timers.elapse();
    await t.type('n\n');
    expect(t.sent.map((s) => [s.requestId, s.decision.approve])).toEqual([
      [A, true],
      [B, false],
    ]);
  });

  it('a refused decision prints the code-bearing message, and the prompt carries on with what is pending', async () => {
    const a = view(A, 'first');
    const t = setup([a]);
    t.timers.elapse();
    await t.type('y\n');
    t.list([]);
    await t.answer(new VaultError('APPROVAL_MISMATCH', 'The request changed since it was shown; nothing was decided.'));
    expect(t.screen()).toContain('The request changed since it was shown; nothing was decided.');
    expect(t.screen()).not.toContain('Approved.');
    expect(prompt?.idle).toBe(true);
  });
});
