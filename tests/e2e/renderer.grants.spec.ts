// Active grants beside the agents: a level-3 grant the owner gave shows who may recall which
// memory until when; Revoke ends it at once and the agent's next recall asks the owner again.
import { expect, test } from '@playwright/test';
import { checkScreen } from './support/checks.js';
import { startVaultApp, type VaultApp } from './support/vault-app.js';

let app: VaultApp;
test.afterEach(async () => app?.close());

test('a grant is listed with its agent and memory; Revoke removes it and the next recall is pending', async ({ page }) => {
  app = await startVaultApp(page);
  await app.open();
  const agent = await app.agent({ name: 'Research_Bot', maxLevel: 3 });
  const m = await agent.store({ content: 'the launch code is 0000', level: 3, title: 'Launch code' });
  const first = await agent.recall(m.id, 'deploy');
  if (first.status !== 'pending') throw new Error('expected pending');
  const shown = app.backend.pendingApprovals().find((v) => v.requestId === first.requestId);
  if (!shown) throw new Error('the request is not listed');
  app.backend.decide(first.requestId, true, 15, shown.digest);
  await expect(agent.wait(first.requestId, 20_000)).resolves.toMatchObject({ status: 'ok' });

  await page.getByRole('button', { name: 'Agents', exact: true }).click();
  const panel = page.getByRole('region', { name: 'Active grants' });
  const row = panel.getByRole('row', { name: /Research_Bot/ });
  await expect(row).toContainText(m.id.slice(0, 8));
  await expect(row).toContainText('L3');
  await expect(panel).not.toContainText('0000');
  await checkScreen(page, 'grants-panel');

  await row.getByRole('button', { name: 'Revoke the grant of Research_Bot' }).click();
  await expect(panel.getByText('No active grants.')).toBeVisible();
  expect(app.backend.listGrants()).toEqual([]);
  const again = await agent.recall(m.id, 'again');
  expect(again.status).toBe('pending');
});
