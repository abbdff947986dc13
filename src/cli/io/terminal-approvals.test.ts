// The serve prompt: agent text neutralised and labelled; a redraw discards keys typed for the
// request that was on screen before; no key counts until the arming interval has passed. Time is a
// hand-driven scheduler here, so nothing depends on how fast the machine is.
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { ApprovalBroker, type ApprovalView, type OwnerDecision } from '../../core/approvals/approval-broker.js';
import type { Level } from '../../core/levels.js';
import type { MemoryId, MemorySummary } from '../../core/model/memory.js';
import type { OwnerChannel } from '../../core/model/requester.js';
import type { ApprovalDecision } from '../../core/ports/approval-gate.port.js';
import { AGENT_WORDS_LABEL, ARMING_MS, attachTerminalApprovals, describeRequest } from './terminal-approvals.js';

const NOW = Date.UTC(2030, 0, 1);
const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const ESC = '\u001b';

function summary(id: string, title: string, extra: Partial<MemorySummary> = {}): MemorySummary {
  return {
    id: id as MemoryId, // test data, not untrusted input
    shortId: id.slice(0, 8),
    namespace: 'default',
    level: 3,
    title,
    tags: [],
    metadata: {},
    intentRef: null,
    createdAt: new Date(NOW).toISOString(),
    createdBy: 'agent:bot',
    expiresAt: null,
    cooldownSeconds: 0,
    tombstoned: false,
    size: 10,
    ...extra,
  };
}

/** Records every decision the terminal sends, with the digest it carried. */
class RecordingBroker extends ApprovalBroker {
  readonly decisions: { requestId: string; approve: boolean; digest: string }[] = [];
  override decide(requestId: string, decision: OwnerDecision, channel: OwnerChannel, digest: string): ApprovalView {
    this.decisions.push({ requestId, approve: decision.approve, digest });
    return super.decide(requestId, decision, channel, digest);
  }
}

function ask(
  broker: ApprovalBroker,
  requestId: string,
  title: string,
  opts: { agent?: string; level?: Level; justification?: string; signal?: AbortSignal; createdAt?: number } = {},
): Promise<ApprovalDecision> {
  const agent = opts.agent ?? 'bot-a';
  return broker.requestApproval({
    requestId,
    memory: summary(`${requestId.slice(0, 8)}-aaaa-4aaa-8aaa-aaaaaaaaaaaa`, title),
    level: opts.level ?? 3,
    requester: { kind: 'agent', agentId: agent, name: agent, maxLevel: 5, namespaces: null },
    justification: opts.justification ?? 'routine check',
    createdAt: opts.createdAt ?? NOW,
    expiresAt: NOW + 60_000,
    grantAllowed: false,
    environment: 'air-gapped',
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
}

function manualTimers() {
  const queue: { fn: () => void; ms: number; cancelled: boolean }[] = [];
  return {
    delays: [] as number[],
    schedule(fn: () => void, ms: number) {
      const t = { fn, ms, cancelled: false };
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

let detach: (() => void) | undefined;
afterEach(() => detach?.());

function setup() {
  const broker = new RecordingBroker({ now: () => NOW });
  const input = new PassThrough();
  const out = new PassThrough();
  let screen = '';
  out.on('data', (d: Buffer) => (screen += d.toString('utf8')));
  const timers = manualTimers();
  detach = attachTerminalApprovals(broker, input, out, { schedule: (fn, ms) => timers.schedule(fn, ms), now: () => NOW });
  const type = async (keys: string) => {
    input.write(keys);
    await tick();
  };
  return { broker, timers, type, screen: () => screen, stateOf: (id: string) => broker.view(id).state };
}

describe('describeRequest', () => {
  it('shows escape sequences, OSC 52 and bidi overrides from the agent visibly escaped, under the agent-words label', () => {
    const v: ApprovalView = {
      requestId: A,
      state: 'pending',
      memory: summary(A, `l3 sealed launch codes${ESC}[2J`, {
        tags: [`t${ESC}[1A`],
        metadata: { [`k${ESC}`]: `v${ESC}]52;c;aGk=\u0007`, note: 'txt.\u202eexe' },
      }),
      level: 3,
      requester: { type: 'agent', id: 'bot', name: 'bot' },
      justification: `${ESC}[1A${ESC}[2Kharmless lookup\u009b2J\nsecond line`,
      environment: 'air-gapped',
      createdAt: NOW,
      expiresAt: NOW + 30_000,
      grantAllowed: false,
      decidedBy: null,
      digest: '0'.repeat(64),
    };
    const text = describeRequest(v, NOW);
    // eslint-disable-next-line no-control-regex -- asserting raw control characters are absent
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u);
    expect(text).toContain('\\x1b[2J');
    expect(text).toContain('\\x1b]52;c;aGk=\\x07');
    expect(text).toContain('txt.\\u202eexe');
    expect(text).toContain('\\x9b2J\\nsecond line');
    const lines = text.split('\n');
    const label = lines.findIndex((l) => l.includes(AGENT_WORDS_LABEL));
    expect(label).toBeGreaterThan(0);
    // Every agent-written line comes after the label and carries the gutter; the facts come before.
    for (const key of ['title:', 'tags:', 'metadata:', 'justification:']) {
      const i = lines.findIndex((l) => l.includes(key));
      expect(i).toBeGreaterThan(label);
      expect(lines[i]).toMatch(/^ {2}\| /);
    }
    expect(lines.findIndex((l) => l.includes('level 3 (Sealed)'))).toBeLessThan(label);
  });
});

describe('the serve prompt', () => {
  it('asks only after the arming interval; an answer typed before it is discarded', async () => {
    const t = setup();
    void ask(t.broker, A, 'launch codes');
    await tick();
    expect(t.screen()).toContain(`APPROVAL REQUEST ${A}`);
    expect(t.screen()).not.toContain('Approve?');
    await t.type('y\n');
    expect(t.stateOf(A)).toBe('pending');
    expect(t.broker.decisions).toEqual([]);
    expect(t.timers.delays).toEqual([ARMING_MS]);
    t.timers.elapse();
    expect(t.screen()).toContain('Approve?');
    await t.type('y\n');
    expect(t.stateOf(A)).toBe('approved');
  });

  it('a "y" typed for a request that is then cancelled never approves the request drawn in its place', async () => {
    const t = setup();
    const abortA = new AbortController();
    void ask(t.broker, A, 'harmless lookup', { signal: abortA.signal, createdAt: NOW });
    const b = ask(t.broker, B, 'l3 sealed launch codes', { agent: 'bot-b', createdAt: NOW + 1 });
    await tick();
    t.timers.elapse();
    await t.type('y'); // the owner starts answering A...
    abortA.abort(); // ...and A disappears under the keys
    await tick();
    const afterSwitch = t.screen().slice(t.screen().lastIndexOf('no longer waiting'));
    expect(afterSwitch).toContain('(cancelled)');
    expect(afterSwitch).toContain('The keys you typed were discarded.');
    expect(afterSwitch).toContain('NEXT REQUEST');
    expect(afterSwitch).toContain(`APPROVAL REQUEST ${B}`);
    await t.type('\n'); // Enter lands on B before its question
    await t.type('y\n'); // so does a repeated answer
    expect(t.stateOf(B)).toBe('pending');
    t.timers.elapse();
    await t.type('\n'); // the "y" typed for A is gone: an empty answer decides nothing
    expect(t.stateOf(B)).toBe('pending');
    expect(t.broker.decisions).toEqual([]);
    await t.type('n\n');
    expect(await b).toMatchObject({ outcome: 'denied' });
    // The decision carried the digest of the view that was drawn, which is B's.
    expect(t.broker.decisions).toEqual([{ requestId: B, approve: false, digest: t.broker.view(B).digest }]);
  });

  it('a request decided elsewhere while shown is replaced, and keys and a pending arming are dropped', async () => {
    const t = setup();
    void ask(t.broker, A, 'first', { createdAt: NOW });
    void ask(t.broker, B, 'second', { createdAt: NOW + 1 });
    await tick();
    await t.type('y'); // before arming: not even buffered
    t.broker.decide(A, { approve: false }, 'desktop', t.broker.view(A).digest);
    await tick();
    expect(t.screen()).toContain(`Request ${A} is no longer waiting (denied)`);
    t.timers.elapse(); // A's arming was cancelled: only B's question appears
    expect(t.screen().match(/Approve\?/g)).toHaveLength(1);
    await t.type('y\n');
    expect(t.stateOf(B)).toBe('approved');
  });
});
