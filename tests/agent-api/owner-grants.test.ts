// grants.list / grants.revoke on the owner socket (after OPAQUE login): the owner sees the live
// level-3 grants and ends one; the agent's next recall is pending again.
import { afterEach, describe, expect, it } from 'vitest';
import { grantSchema } from '../../src/core/engine/grant-store.js';
import { OwnerClient } from '../../src/node/agent-api/owner-client.js';
import { TEST_PASSPHRASE } from '../support/vault-fixture.js';
import { codeOf, startServerFixture, type ServerFixture } from './agent-fixture.js';

let fx: ServerFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

describe('owner socket grants', () => {
  it('lists the grant an approval made and revokes it; the next recall asks again', async () => {
    fx = await startServerFixture();
    const { client, id } = await fx.agent('reader', 3);
    const m = await client.store({ content: 'sealed', level: 3, title: 'sealed' });
    const first = await client.recall(m.id, 'first');
    if (first.status !== 'pending') throw new Error('expected pending');
    const waiting = client.wait(first.requestId, 20_000);
    fx.server.broker.decide(
      first.requestId,
      { approve: true, grantMinutes: 10 },
      'terminal',
      fx.server.broker.view(first.requestId).digest,
    );
    expect(await waiting).toMatchObject({ status: 'ok' });

    const owner = await OwnerClient.tryConnect(fx.server.ownerSocket);
    if (!owner) throw new Error('no owner socket');
    try {
      await owner.login(TEST_PASSPHRASE);
      const listed = grantSchema.array().parse(await owner.call<unknown>('grants.list'));
      expect(listed).toHaveLength(1);
      expect(listed[0]).toMatchObject({ holder: { type: 'agent', id }, memoryId: m.id, level: 3 });
      const grantId = listed[0]?.grantId ?? '';
      expect(grantSchema.parse(await owner.call<unknown>('grants.revoke', { grantId }))).toMatchObject({ grantId });
      expect(await owner.call<unknown>('grants.list')).toEqual([]);
      expect(await codeOf(owner.call('grants.revoke', { grantId }))).toBe('NOT_FOUND');
    } finally {
      owner.close();
    }
    expect((await client.recall(m.id, 'again')).status).toBe('pending');
  });
});
