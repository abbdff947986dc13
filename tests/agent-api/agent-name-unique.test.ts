// Issue 15 "unique agent names", end to end on two owner surfaces: the owner socket (what the CLI
// uses against a running `serve` or desktop) and the desktop IPC. A duplicate is refused with
// INVALID_INPUT, nothing is created and no second agent.create leaf is written.
import { afterEach, describe, expect, it } from 'vitest';
import { OwnerClient } from '../../src/node/agent-api/owner-client.js';
import { contracts } from '../../src/shared/contracts.js';
import { TEST_PASSPHRASE } from '../support/vault-fixture.js';
import { harness, type Harness } from '../ipc/ipc-fixture.js';
import { codeOf, startServerFixture, type ServerFixture } from './agent-fixture.js';

let fx: ServerFixture | undefined;
let h: Harness | undefined;
afterEach(async () => {
  await fx?.close();
  await h?.close();
  fx = undefined;
  h = undefined;
});

const spec = (name: string) => ({ name, maxLevel: 1, namespaces: null, expiresAt: null });

describe('a duplicate agent name is refused', () => {
  it('over the owner socket, with INVALID_INPUT and no second agent.create leaf', async () => {
    fx = await startServerFixture();
    const owner = await OwnerClient.tryConnect(fx.server.ownerSocket);
    if (!owner) throw new Error('no owner socket');
    try {
      await owner.login(TEST_PASSPHRASE);
      await owner.call('agents.create', spec('research-bot'));
      expect(await codeOf(owner.call('agents.create', spec('research-bot')))).toBe('INVALID_INPUT');
      expect(await codeOf(owner.call('agents.create', spec('Research-Bot')))).toBe('INVALID_INPUT');
    } finally {
      owner.close();
    }
    expect(fx.server.registry.list().map((a) => a.name)).toEqual(['research-bot']);
    const creates = fx.session.repo.readAuditRecords(0, 10_000).filter((r) => r.kind === 'agent.create');
    expect(creates).toHaveLength(1);
  });

  it('from the desktop window, as an IPC error carrying the code', async () => {
    h = harness({}, { agentServer: true });
    const created = await h.call(contracts.vault.create.channel, { credential: { kind: 'passphrase', passphrase: TEST_PASSPHRASE } });
    expect(created).toMatchObject({ ok: true });
    expect((await h.call(contracts.agents.create.channel, { name: 'Research_Bot', maxLevel: 2 })).ok).toBe(true);
    const again = await h.call(contracts.agents.create.channel, { name: 'research_bot', maxLevel: 3 });
    expect(again).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const listed = await h.call(contracts.agents.list.channel, {});
    expect(listed).toMatchObject({ ok: true, value: [{ name: 'Research_Bot' }] });
  });
});
