// Threat: a decision swapped onto a request the owner never saw. In the desktop queue, a second
// click on Approve landed on the next dialog (another agent, another memory) the moment it was
// drawn; a request redrawn with other details under the owner's cursor is the same attack. The
// decision now carries the digest of the request as displayed, and the broker refuses any other
// with APPROVAL_MISMATCH, deciding nothing. On the old code the extra argument was ignored and
// request B was approved.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { approvalDigest } from '../../src/core/approvals/approval-digest.js';
import type { Requester } from '../../src/core/model/requester.js';
import type { ApprovalDto } from '../../src/shared/approvals.contract.js';
import { contracts } from '../../src/shared/contracts.js';
import { harness, type Harness } from '../ipc/ipc-fixture.js';
import { TEST_PASSPHRASE } from '../support/vault-fixture.js';

const botA: Requester = { kind: 'agent', agentId: 'agent-a', name: 'Research Bot', maxLevel: 5, namespaces: null };
const botB: Requester = { kind: 'agent', agentId: 'agent-b', name: 'Ops Agent', maxLevel: 5, namespaces: null };

let h: Harness;
beforeEach(async () => {
  h = harness();
  expect(await h.call(contracts.vault.create.channel, { credential: { kind: 'passphrase', passphrase: TEST_PASSPHRASE } })).toMatchObject({
    ok: true,
  });
});
afterEach(() => h.close());

type Outcome = { ok: true; content: string } | { ok: false; code: string | undefined };

/** An agent recall that waits for the owner; resolves once the request shows up pending. */
async function asks(
  requester: Requester,
  title: string,
  justification: string,
): Promise<{ view: ApprovalDto; outcome: Promise<Outcome>; settled: () => boolean }> {
  const m = await h.backend.engine.store({ content: `content of ${title}`, level: 3, title }, { kind: 'owner', channel: 'desktop' });
  const seen = new Promise<ApprovalDto>((resolve) => {
    const off = h.backend.onApprovalsChanged((v) => {
      if (v.state === 'pending' && v.memory.id === m.id) {
        off();
        resolve(v as ApprovalDto);
      }
    });
  });
  let done = false;
  const outcome = h.backend.engine.recall({ memoryId: m.id, justification }, requester).then(
    (r): Outcome => ((done = true), { ok: true, content: r.content.toString('utf8') }),
    (e: { code?: string }): Outcome => ((done = true), { ok: false, code: e.code }),
  );
  return { view: await seen, outcome, settled: () => done };
}

const decide = (requestId: string, approve: boolean, digest: string) =>
  h.call(contracts.approvals.decide.channel, { requestId, approve, digest });
const pendingIds = async () =>
  ((await h.call(contracts.approvals.list.channel, {})) as { value: ApprovalDto[] }).value.map((v) => v.requestId).sort();

describe('approval decision swap', () => {
  it('a decision carrying the digest of request A, applied to request B, is refused and B stays pending', async () => {
    const a = await asks(botA, 'Alpha secret', 'first');
    const b = await asks(botB, 'Beta secret', 'second');
    expect(a.view.digest).not.toBe(b.view.digest);

    // The double click: the second click carries the dialog of A but names B, now at the head.
    expect(await decide(b.view.requestId, true, a.view.digest)).toMatchObject({ ok: false, error: { code: 'APPROVAL_MISMATCH' } });
    expect(await decide(b.view.requestId, false, a.view.digest)).toMatchObject({ ok: false, error: { code: 'APPROVAL_MISMATCH' } });
    expect(await pendingIds()).toEqual([a.view.requestId, b.view.requestId].sort());
    expect(b.settled()).toBe(false);

    // Decided with what was shown for it, each goes through.
    expect(await decide(a.view.requestId, true, a.view.digest)).toMatchObject({ ok: true, value: { state: 'approved' } });
    expect(await a.outcome).toEqual({ ok: true, content: 'content of Alpha secret' });
    expect(await pendingIds()).toEqual([b.view.requestId]);
    expect(b.settled()).toBe(false);
    expect(await decide(b.view.requestId, false, b.view.digest)).toMatchObject({ ok: true, value: { state: 'denied' } });
    expect(await b.outcome).toEqual({ ok: false, code: 'APPROVAL_DENIED' });
  });

  it('a decision about A as displayed with another justification or expiry is refused and A stays pending', async () => {
    const a = await asks(botA, 'Launch codes', 'l3 sealed launch codes, for the rollout');
    // What a surface that drew a different request under the same id would have sent back.
    const redrawn = [
      { ...a.view, justification: 'harmless lookup' },
      { ...a.view, expiresAt: a.view.expiresAt + 60_000 },
      { ...a.view, level: 2 as const },
      { ...a.view, requester: { ...a.view.requester, id: 'agent-b' } },
    ];
    for (const shown of redrawn) {
      expect(await decide(a.view.requestId, true, approvalDigest(shown))).toMatchObject({
        ok: false,
        error: { code: 'APPROVAL_MISMATCH' },
      });
    }
    expect(await pendingIds()).toEqual([a.view.requestId]);
    expect(a.settled()).toBe(false);
    expect(await decide(a.view.requestId, false, a.view.digest)).toMatchObject({ ok: true, value: { state: 'denied' } });
    expect(await a.outcome).toEqual({ ok: false, code: 'APPROVAL_DENIED' });
  });
});
