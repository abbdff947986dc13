// The owner socket: nothing before a successful owner login; failed logins are audited and a
// connection that keeps guessing is closed; decisions made here reach the waiting agent.
import { afterEach, describe, expect, it } from 'vitest';
import { OwnerClient } from '../../src/node/agent-api/owner-client.js';
import { TEST_PASSPHRASE } from '../support/vault-fixture.js';
import { codeOf, startServerFixture, type ServerFixture } from './agent-fixture.js';

let fx: ServerFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

describe('owner socket', () => {
  it('refuses every method before login, audits failed logins, and closes after repeated guesses', async () => {
    fx = await startServerFixture();
    const c = await OwnerClient.tryConnect(fx.server.ownerSocket);
    if (!c) throw new Error('no owner socket');
    expect(await codeOf(c.call('approvals.list'))).toBe('UNAUTHORIZED');
    expect(await codeOf(c.call('agents.create', { name: 'x', maxLevel: 5, namespaces: null, expiresAt: null }))).toBe('UNAUTHORIZED');
    for (let i = 0; i < 3; i++) expect(await codeOf(c.call('owner.login', { passphrase: `guess ${i}` }))).toBe('BAD_CREDENTIALS');
    expect(await codeOf(c.call('approvals.list'))).toBe('VAULT_LOCKED'); // connection closed
    const refused = fx.session.repo.readAuditRecords(0, 10_000).map((r) => JSON.parse(r.json) as { kind: string; outcome: string }).filter((e) => e.kind === 'owner.auth' && e.outcome === 'refused');
    expect(refused).toHaveLength(3);
  });

  it('after login, the owner decides a pending request and creates agents atomically with their audit event', async () => {
    fx = await startServerFixture();
    const { client } = await fx.agent('asker', 3);
    const m = await client.store({ content: 'owner-approved', level: 3, title: 'x' });
    const r = await client.recall(m.id, 'please');
    if (r.status !== 'pending') throw new Error('expected pending');
    const c = await OwnerClient.tryConnect(fx.server.ownerSocket);
    if (!c) throw new Error('no owner socket');
    await c.call('owner.login', { passphrase: TEST_PASSPHRASE });
    const pending = await c.call<{ requestId: string; digest: string }[]>('approvals.list');
    expect(pending.map((p) => p.requestId)).toEqual([r.requestId]);
    await c.call('approvals.decide', { requestId: r.requestId, approve: true, digest: pending[0]?.digest });
    expect(await client.wait(r.requestId, 5_000)).toMatchObject({ status: 'ok', content: 'owner-approved' });
    expect(await codeOf(c.call('agents.create', { name: 'bad name with spaces', maxLevel: 1, namespaces: null, expiresAt: null }))).toBe('INVALID_INPUT');
    const created = await c.call<{ agent: { id: string } }>('agents.create', { name: 'new-agent', maxLevel: 1, namespaces: ['ns'], expiresAt: null });
    const events = fx.session.repo.readAuditRecords(0, 10_000).map((x) => JSON.parse(x.json) as { kind: string; details?: { agentId?: string } });
    expect(events.some((e) => e.kind === 'agent.create' && e.details?.agentId === created.agent.id)).toBe(true);
    c.close();
  });
});
