// Agents and tokens: create an agent, see its token once (copy, close — it is gone from the
// page), the agent connects with that token over the real socket, revoke it, the agent is refused.
import { expect, test } from '@playwright/test';
import { checkScreen } from './support/checks.js';
import { TEST_ORIGIN, startVaultApp, type VaultApp } from './support/vault-app.js';

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

test('create an agent, copy its token once, the agent connects; revoke it and the agent is refused', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: TEST_ORIGIN });
  app = await startVaultApp(page);
  await app.open();
  await page.getByRole('button', { name: 'Agents', exact: true }).click();
  const screen = page.getByRole('region', { name: 'Agents' });
  await expect(screen.getByText('No agents yet.')).toBeVisible();
  await checkScreen(page, 'agents-empty');

  await page.getByRole('button', { name: 'New agent…' }).click();
  const form = page.getByRole('dialog', { name: 'New agent' });
  await expect(form.getByLabel('Name', { exact: true })).toBeFocused();
  await form.getByLabel('Name', { exact: true }).fill('has spaces');
  await page.keyboard.press('Enter');
  await expect(form.getByRole('alert')).toContainText('letters, digits');
  await form.getByLabel('Name', { exact: true }).fill('Research_Bot');
  await form.getByLabel('Maximum level').selectOption({ label: 'L3 · Sealed' });
  await form.getByLabel('Namespaces (optional)').fill('infra, ops');
  await form.getByLabel('Token expires').selectOption({ label: 'After 30 days' });
  await checkScreen(page, 'agent-create-dialog');
  await page.keyboard.press('Enter');

  const tokenDialog = page.getByRole('dialog', { name: 'Token for Research_Bot' });
  await expect(tokenDialog).toBeVisible();
  await expect(tokenDialog).toContainText('You will not see this token again');
  const token = await tokenDialog.getByLabel('Token').inputValue();
  expect(token).toMatch(/^mvt_[A-Za-z0-9_-]{43}$/);
  await expect(tokenDialog.getByRole('button', { name: 'Copy token' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(tokenDialog.getByRole('status')).toHaveText('Copied to the clipboard.');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
  await checkScreen(page, 'agent-token-dialog');
  await tokenDialog.getByRole('button', { name: 'Done' }).click();
  await expect(tokenDialog).toBeHidden();
  // Shown once: after the dialog closes the token is nowhere in the page.
  expect(await page.content()).not.toContain(token.slice(4));

  const row = screen.getByRole('row', { name: /Research_Bot/ });
  await expect(row).toContainText('L3 · Sealed');
  await expect(row).toContainText('infra, ops');
  await expect(row).toContainText('Active');
  await expect(row).toContainText('Never');
  await expect(row).toContainText('Expires');

  // The agent connects with the token it was given, over the vault's real socket.
  const client = await app.connectWithToken(token);
  await expect(client.store({ content: 'runbook', level: 2, title: 'Runbook', namespace: 'infra' })).resolves.toMatchObject({
    namespace: 'infra',
  });
  // ...within the scope the owner chose in the form.
  expect(await codeOf(client.store({ content: 'x', level: 1, title: 'Elsewhere', namespace: 'personal' }))).toBe('FORBIDDEN');

  await row.getByRole('button', { name: 'Revoke Research_Bot…' }).click();
  const confirm = page.getByRole('dialog', { name: 'Revoke Research_Bot?' });
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await checkScreen(page, 'agent-revoke-dialog');
  await page.keyboard.press('Tab');
  await expect(confirm.getByRole('button', { name: 'Revoke token' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(confirm).toBeHidden();
  await expect(row).toContainText('Revoked');
  await expect(row.getByRole('button', { name: /Revoke/ })).toHaveCount(0);
  await checkScreen(page, 'agents-list');

  // Refused on its next call, on the connection it already had open and on a new one.
  expect(await codeOf(client.list())).toBe('UNAUTHORIZED');
  expect(await codeOf(app.connectWithToken(token))).toBe('UNAUTHORIZED');
});

test('Escape cancels a new agent: nothing is created and focus returns to the button', async ({ page }) => {
  app = await startVaultApp(page);
  await app.open();
  await page.getByRole('button', { name: 'Agents', exact: true }).click();
  await page.getByRole('button', { name: 'New agent…' }).click();
  await page.getByRole('dialog', { name: 'New agent' }).getByLabel('Name', { exact: true }).fill('never-made');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'New agent…' })).toBeFocused();
  expect(app.backend.listAgents()).toEqual([]);
  await expect(page.getByText('No agents yet.')).toBeVisible();
});
