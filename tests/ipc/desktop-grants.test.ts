// Level-3 grants over IPC against a real vault: a grant the owner gave appears in grants:list,
// grants:revoke deletes it (audited grant.revoke), and the agent's next recall asks again.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Requester } from '../../src/core/model/requester.js';
import type { ApprovalDto } from '../../src/shared/approvals.contract.js';
import type { AuditPageDto } from '../../src/shared/audit.contract.js';
import { contracts } from '../../src/shared/contracts.js';
import type { GrantDto } from '../../src/shared/grants.contract.js';
import { TEST_PASSPHRASE } from '../support/vault-fixture.js';
import { harness, type Harness } from './ipc-fixture.js';

const agent: Requester = { kind: 'agent', agentId: 'agent-7', name: 'Research Bot', maxLevel: 5, namespaces: null };

let h: Harness;
beforeEach(async () => {
  h = harness();
  expect(await h.call(contracts.vault.create.channel, { credential: { kind: 'passphrase', passphrase: TEST_PASSPHRASE } })).toMatchObject({
    ok: true,
  });
});
afterEach(() => h.close());

function value<T>(r: { ok: boolean; value?: unknown; error?: unknown }): T {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.value as T;
}

/** Start an agent recall and resolve with the pending request the window would show. */
async function agentAsks(memoryId: string) {
  const seen = new Promise<ApprovalDto>((resolve) => {
    const off = h.backend.onApprovalsChanged((v) => {
      if (v.state === 'pending') {
        off();
        resolve(v as ApprovalDto);
      }
    });
  });
  const recall = h.backend.engine.recall({ memoryId, justification: 'deploy' }, agent).then(
    () => 'OK',
    (e: { code?: string }) => e.code ?? 'THREW',
  );
  return { request: await seen, recall };
}

describe('grants over IPC', () => {
  it('lists the grant an approval made, revokes it (audited), and the next recall asks again', async () => {
    const m = await h.backend.engine.store(
      { content: 'the launch code is 0000', level: 3, title: 'Launch code' },
      { kind: 'owner', channel: 'desktop' },
    );
    expect(value<GrantDto[]>(await h.call(contracts.grants.list.channel, {}))).toEqual([]);
    const { request, recall } = await agentAsks(m.id);
    value(
      await h.call(contracts.approvals.decide.channel, {
        requestId: request.requestId,
        approve: true,
        grantMinutes: 15,
        digest: request.digest,
      }),
    );
    expect(await recall).toBe('OK');

    const grants = value<GrantDto[]>(await h.call(contracts.grants.list.channel, {}));
    expect(grants).toHaveLength(1);
    expect(grants[0]).toMatchObject({
      holderType: 'agent',
      holderId: 'agent-7',
      holderName: 'Research Bot',
      memoryId: m.id,
      level: 3,
      grantedVia: 'desktop',
    });
    expect(JSON.stringify(grants)).not.toContain('0000');
    const grant = grants[0] as GrantDto;
    // The grant lets the next recall through without a request.
    expect(await h.backend.engine.recall({ memoryId: m.id, justification: 'again' }, agent).then(() => 'OK')).toBe('OK');

    expect(value<GrantDto>(await h.call(contracts.grants.revoke.channel, { grantId: grant.grantId }))).toMatchObject({
      grantId: grant.grantId,
    });
    expect(value<GrantDto[]>(await h.call(contracts.grants.list.channel, {}))).toEqual([]);
    expect(await h.call(contracts.grants.revoke.channel, { grantId: grant.grantId })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    const events = value<AuditPageDto>(await h.call(contracts.audit.list.channel, { limit: 500 })).events;
    expect(JSON.stringify(events)).toContain('grant.revoke');

    // Without the grant the owner is asked again.
    const again = await agentAsks(m.id);
    expect(again.request.state).toBe('pending');
    value(
      await h.call(contracts.approvals.decide.channel, {
        requestId: again.request.requestId,
        approve: false,
        digest: again.request.digest,
      }),
    );
    expect(await again.recall).toBe('APPROVAL_DENIED');
  });

  it('refuses a malformed grant id at the boundary', async () => {
    expect(await h.call(contracts.grants.revoke.channel, { grantId: 'not-a-uuid' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
  });
});
