// The handlers against a real vault: the renderer is the owner channel — it approves and denies
// agent recalls, reveals with re-authentication, and tombstones only with the right short id.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { verifyBundle } from '../../src/core/audit/index.js';
import type { Requester } from '../../src/core/model/requester.js';
import { contracts } from '../../src/shared/contracts.js';
import type { ApprovalDto } from '../../src/shared/approvals.contract.js';
import { TEST_PASSPHRASE } from '../support/vault-fixture.js';
import { harness, type Harness } from './ipc-fixture.js';

const agent: Requester = { kind: 'agent', agentId: 'agent-7', name: 'Research Bot', maxLevel: 5, namespaces: null };

let h: Harness;
beforeEach(async () => {
  h = harness();
  expect(await h.call(contracts.vault.create.channel, { credential: { kind: 'passphrase', passphrase: TEST_PASSPHRASE } })).toMatchObject({
    ok: true,
    value: { state: 'unlocked' },
  });
});
afterEach(() => h.close());

function value<T>(r: { ok: boolean; value?: unknown; error?: unknown }): T {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.value as T;
}

async function storeSealed(content = 'the launch code is 0000') {
  return h.backend.engine.store({ content, level: 3, title: 'Launch code', tags: ['ops'] }, { kind: 'owner', channel: 'desktop' });
}

/** Start an agent recall and wait until the broker shows it pending (no sleeps). */
async function agentAsks(memoryId: string, justification: string) {
  const seen = new Promise<ApprovalDto>((resolve) => {
    const off = h.backend.onApprovalsChanged((v) => {
      if (v.state === 'pending') {
        off();
        resolve(v as ApprovalDto);
      }
    });
  });
  const recall = h.backend.engine.recall({ memoryId, justification }, agent).then(
    (r) => ({ ok: true as const, content: r.content.toString('utf8') }),
    (e: { code?: string }) => ({ ok: false as const, code: e.code }),
  );
  return { request: await seen, recall };
}

describe('approvals over IPC', () => {
  it('approve delivers the content to the agent; the request names agent, level and justification', async () => {
    const m = await storeSealed();
    const { request, recall } = await agentAsks(m.id, 'Need it to deploy');
    const listed = value<ApprovalDto[]>(await h.call(contracts.approvals.list.channel, {}));
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      requestId: request.requestId,
      level: 3,
      justification: 'Need it to deploy',
      requester: { name: 'Research Bot' },
      grantAllowed: true,
    });
    expect(
      await h.call(contracts.approvals.decide.channel, { requestId: request.requestId, approve: true, digest: request.digest }),
    ).toMatchObject({ ok: true, value: { state: 'approved', decidedBy: 'desktop' } });
    expect(await recall).toEqual({ ok: true, content: 'the launch code is 0000' });
  });

  it('deny refuses the agent with APPROVAL_DENIED; a second decision is refused', async () => {
    const m = await storeSealed();
    const { request, recall } = await agentAsks(m.id, 'curious');
    expect(
      await h.call(contracts.approvals.decide.channel, { requestId: request.requestId, approve: false, digest: request.digest }),
    ).toMatchObject({ ok: true, value: { state: 'denied' } });
    expect(await recall).toEqual({ ok: false, code: 'APPROVAL_DENIED' });
    expect(
      await h.call(contracts.approvals.decide.channel, { requestId: request.requestId, approve: true, digest: request.digest }),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('locking expires pending requests and wipes the session (VAULT_LOCKED afterwards)', async () => {
    const m = await storeSealed();
    const { recall } = await agentAsks(m.id, 'before lock');
    expect(await h.call(contracts.vault.lock.channel, {})).toMatchObject({ ok: true, value: { state: 'locked' } });
    expect(await recall).toEqual({ ok: false, code: 'APPROVAL_EXPIRED' });
    expect(await h.call(contracts.memories.list.channel, {})).toMatchObject({ ok: false, error: { code: 'VAULT_LOCKED' } });
    expect(
      await h.call(contracts.vault.unlock.channel, { credential: { kind: 'passphrase', passphrase: 'wrong passphrase' } }),
    ).toMatchObject({
      ok: false,
      error: { code: 'BAD_CREDENTIALS' },
    });
    expect(await h.call(contracts.vault.unlock.channel, { credential: { kind: 'passphrase', passphrase: TEST_PASSPHRASE } })).toMatchObject(
      {
        ok: true,
        value: { state: 'unlocked' },
      },
    );
    // The expiry was audited before the database closed.
    const expired = value<{ events: unknown[] }>(
      await h.call(contracts.audit.list.channel, { limit: 10, filter: { kind: 'approval.expired' } }),
    );
    expect(expired.events).toHaveLength(1);
  });
});

describe('memories over IPC', () => {
  it('reveal of level 3 needs the passphrase again, and never shows up as an approval dialog', async () => {
    const m = await storeSealed('sealed words');
    expect(await h.call(contracts.memories.reveal.channel, { memoryId: m.id })).toMatchObject({
      ok: false,
      error: { code: 'BAD_CREDENTIALS' },
    });
    expect(
      await h.call(contracts.memories.reveal.channel, { memoryId: m.id, credential: { kind: 'passphrase', passphrase: 'not it at all' } }),
    ).toMatchObject({
      ok: false,
      error: { code: 'BAD_CREDENTIALS' },
    });
    const shown: string[] = [];
    const off = h.backend.onApprovalsChanged((v) => shown.push(v.requestId));
    expect(
      await h.call(contracts.memories.reveal.channel, { memoryId: m.id, credential: { kind: 'passphrase', passphrase: TEST_PASSPHRASE } }),
    ).toMatchObject({
      ok: true,
      value: { content: 'sealed words' },
    });
    off();
    expect(shown).toEqual([]);
  });

  it('tombstone refuses a wrong short id and accepts the right one', async () => {
    const m = await storeSealed();
    expect(await h.call(contracts.memories.tombstone.channel, { memoryId: m.id, confirmShortId: 'deadbeef' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(value<{ tombstoned: boolean }>(await h.call(contracts.memories.describe.channel, { memoryId: m.id })).tombstoned).toBe(false);
    expect(await h.call(contracts.memories.tombstone.channel, { memoryId: m.id, confirmShortId: m.shortId })).toMatchObject({
      ok: true,
      value: { tombstoned: true },
    });
  });
});

describe('audit and lockdown over IPC', () => {
  it('pages through the log, verifies it and exports a bundle the verifier accepts', async () => {
    await storeSealed();
    const first = value<{ events: { seq: number; kind: string }[]; nextAfterSeq: number | null; total: number }>(
      await h.call(contracts.audit.list.channel, { limit: 1 }),
    );
    expect(first.events.map((e) => e.kind)).toEqual(['vault.init']);
    expect(first.nextAfterSeq).toBe(0);
    const rest = value<{ events: { kind: string }[] }>(await h.call(contracts.audit.list.channel, { afterSeq: 0, limit: 100 }));
    expect(rest.events.map((e) => e.kind)).toContain('memory.store');
    expect(await h.call(contracts.audit.verify.channel, {})).toMatchObject({ ok: true, value: { ok: true, damage: null } });
    const out = value<{ saved: boolean; path: string }>(await h.call(contracts.audit.exportBundle.channel, {}));
    expect(out.saved).toBe(true);
    expect(verifyBundle(JSON.parse(readFileSync(out.path, 'utf8'))).valid).toBe(true);
  });

  it('lockdown refuses agent recalls and lifting needs the passphrase', async () => {
    const m = await storeSealed();
    expect(await h.call(contracts.lockdown.engage.channel, {})).toMatchObject({ ok: true, value: { on: true } });
    await expect(h.backend.engine.recall({ memoryId: m.id, justification: '' }, agent)).rejects.toMatchObject({ code: 'LOCKDOWN' });
    expect(
      await h.call(contracts.lockdown.lift.channel, { credential: { kind: 'passphrase', passphrase: 'nope nope nope' } }),
    ).toMatchObject({
      ok: false,
      error: { code: 'BAD_CREDENTIALS' },
    });
    expect(
      await h.call(contracts.lockdown.lift.channel, { credential: { kind: 'passphrase', passphrase: TEST_PASSPHRASE } }),
    ).toMatchObject({
      ok: true,
      value: { on: false },
    });
  });
});
