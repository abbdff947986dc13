// Settings: change auto-lock and approval expiry, see the screen say when each applies, and find
// both persisted (and the expiry live for new approval requests) after lock/unlock.
import { expect, test } from '@playwright/test';
import { checkScreen } from './support/checks.js';
import { PASSPHRASE, agentRecall, startVaultApp, type VaultApp } from './support/vault-app.js';

let app: VaultApp;
test.afterEach(async () => app?.close());

test('settings persist across lock/unlock; approval expiry applies from the next unlock', async ({ page }) => {
  app = await startVaultApp(page);
  await app.open();
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const autoLock = page.getByLabel('Auto-lock after (minutes idle)');
  const expiry = page.getByLabel('Approval requests expire after (seconds)');
  await expect(autoLock).toHaveValue('5');
  await expect(expiry).toHaveValue('300');
  await expect(page.getByTestId('approval-expiry-live')).toHaveText('New approval requests expire after 300 seconds.');

  // Out of range: refused with a message, nothing saved.
  await expiry.fill('5');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert')).toContainText('from 10 to 3600');

  await autoLock.fill('15');
  await expiry.fill('120');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Settings saved.')).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.getByTestId('approval-expiry-live')).toHaveText(
    'Until you lock and unlock the vault, new approval requests still expire after 300 seconds; 120 seconds applies from the next unlock.',
  );
  expect(app.backend.autoLockSeconds).toBe(15 * 60);
  await checkScreen(page, 'settings');

  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Unlock Memory Vault' })).toBeVisible();
  await page.getByLabel('Passphrase').fill(PASSPHRASE);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Memories' })).toBeVisible();
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await expect(autoLock).toHaveValue('15');
  await expect(expiry).toHaveValue('120');
  await expect(page.getByTestId('approval-expiry-live')).toHaveText('New approval requests expire after 120 seconds.');
  expect(app.backend.autoLockSeconds).toBe(15 * 60);
  await checkScreen(page, 'settings-after-unlock');

  // A new approval request now lives 120 s (read from the request, not from a clock).
  const m = await app.backend.engine.store({ content: 'x', level: 3, title: 'Sealed note' }, { kind: 'owner', channel: 'desktop' });
  const recall = agentRecall(app, m.id, 'how long do I have?');
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toBeVisible();
  const [pending] = app.backend.pendingApprovals();
  expect(pending ? pending.expiresAt - pending.createdAt : null).toBe(120_000);
  await dialog.getByRole('button', { name: 'Deny' }).click();
  expect(await recall).toEqual({ ok: false, code: 'APPROVAL_DENIED' });
});
