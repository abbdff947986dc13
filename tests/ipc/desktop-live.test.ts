// Live updates from the real backend: an agent's store over the real socket, a tombstone and
// lockdown each reach onVaultChanged as topics (what main pushes as vault:did-change), also
// after the vault was locked and unlocked again.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentClient } from '../../src/node/agent-api/agent-client.js';
import { contracts } from '../../src/shared/contracts.js';
import type { VaultTopic } from '../../src/shared/live.contract.js';
import { TEST_PASSPHRASE } from '../support/vault-fixture.js';
import { until } from '../agent-api/agent-fixture.js';
import { harness, type Harness } from './ipc-fixture.js';

let h: Harness;
let pushes: VaultTopic[][];
let off: () => void;
beforeEach(async () => {
  h = harness({}, { agentServer: true });
  const created = await h.call(contracts.vault.create.channel, { credential: { kind: 'passphrase', passphrase: TEST_PASSPHRASE } });
  expect(created).toMatchObject({ ok: true });
  pushes = [];
  off = h.backend.onVaultChanged((topics) => pushes.push(topics));
});
afterEach(async () => {
  off();
  await h.close();
});

const pushed = (topic: VaultTopic) => until(() => (pushes.some((t) => t.includes(topic)) ? true : undefined), 5_000);

describe('the backend reports what changed', () => {
  it("reports an agent's store, a tombstone and lockdown, each with the audit topic", async () => {
    const created = await h.backend.createAgent({ name: 'live-bot', maxLevel: 2 });
    const client = await AgentClient.connect({ socketPath: h.agentSocket, token: created.token, timeoutMs: 10_000 });
    try {
      await pushed('agents');
      pushes.length = 0;
      const m = await client.store({ content: 'x', level: 1, title: 'From the agent' });
      await pushed('memories');
      expect(pushes.flat()).toContain('audit');
      pushes.length = 0;
      await h.backend.tombstone(m.id, m.shortId);
      await pushed('memories');
      pushes.length = 0;
      await h.backend.engageLockdown('test');
      await pushed('lockdown');
    } finally {
      client.close();
    }
  });

  it('keeps reporting after a lock and an unlock (the new session is watched, not the closed one)', async () => {
    await h.backend.lock();
    const unlocked = await h.call(contracts.vault.unlock.channel, { credential: { kind: 'passphrase', passphrase: TEST_PASSPHRASE } });
    expect(unlocked).toMatchObject({ ok: true });
    pushes.length = 0;
    await h.backend.engine.store({ content: 'y', level: 0, title: 'After unlock' }, { kind: 'owner', channel: 'desktop' });
    await pushed('memories');
  });
});
