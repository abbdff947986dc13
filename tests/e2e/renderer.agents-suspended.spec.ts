// A suspended agent (the anomaly rule stopped it after a burst of refusals) is shown with the
// rule's reason and a Lift suspension button; lifting it is audited as agent.resume by the
// desktop owner and the agent's next call works again over the real socket.
import { expect, test } from '@playwright/test';
import { z } from 'zod';
import { RegistryAgentSuspender } from '../../src/node/agent-api/registry-agent-suspender.js';
import type { RunningServer } from '../../src/node/agent-api/vault-server.js';
import { checkScreen } from './support/checks.js';
import { startVaultApp, type VaultApp } from './support/vault-app.js';

const leafSchema = z.object({ actor: z.object({ id: z.string() }), details: z.object({ agentId: z.string() }) });

let app: VaultApp;
test.afterEach(async () => app?.close());

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'RESOLVED';
  } catch (e) {
    return typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : `THREW ${String(e)}`;
  }
}

test('a suspended agent shows why; Lift suspension lets it back in, audited', async ({ page }) => {
  let server: RunningServer | undefined;
  app = await startVaultApp(page, { onServer: (_s, srv) => (server = srv) });
  const agent = await app.agent({ name: 'Noisy_Bot', maxLevel: 2 });
  await agent.store({ content: 'hello', level: 1, title: 'Greeting' });
  if (!server) throw new Error('no agent server');
  const record = server.registry.list().find((a) => a.name === 'Noisy_Bot');
  if (!record) throw new Error('the agent is not registered');
  await new RegistryAgentSuspender(server.registry, app.backend.engine).suspend(record.id, '10 refused requests within 60 s');
  expect(await codeOf(agent.list({}))).toBe('AGENT_SUSPENDED');

  await app.open();
  await page.getByRole('button', { name: 'Agents', exact: true }).click();
  const row = page.getByRole('row', { name: /Noisy_Bot/ });
  await expect(row).toContainText('Suspended');
  await expect(row).toContainText('10 refused requests within 60 s');
  await checkScreen(page, 'agents-suspended');

  await row.getByRole('button', { name: 'Lift the suspension of Noisy_Bot' }).click();
  await expect(row).toContainText('Active');
  await expect(row.getByRole('button', { name: 'Lift the suspension of Noisy_Bot' })).toHaveCount(0);
  expect(await codeOf(agent.list({}))).toBe('RESOLVED');
  const resumed = app.backend.engine.auditLog.list({ kind: 'agent.resume', limit: 5 }).map((r) => leafSchema.parse(JSON.parse(r.json)));
  expect(resumed).toEqual([{ actor: { id: 'desktop' }, details: { agentId: record.id } }]);
});
