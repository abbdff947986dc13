// FIDO2 security keys through the window, on the real handlers with the software CTAP2
// authenticator behind the HID interface in main: register with a touch (the window says
// "touch your key" until the key is touched), see the sign counter and last use move after a
// level-5 use, rename, revoke (with the bound-memory warning); each change audited as desktop.
import { expect, test } from '@playwright/test';
import { z } from 'zod';
import { createSoftKey, transportFor, type SoftKey } from '../support/fido2/soft-key.js';
import { checkScreen } from './support/checks.js';
import { startVaultApp, type VaultApp } from './support/vault-app.js';

const leafSchema = z.object({ actor: z.object({ id: z.string() }), details: z.object({ action: z.string() }) });

let app: VaultApp;
test.afterEach(async () => app?.close());

function start(page: Parameters<typeof startVaultApp>[0], key: SoftKey) {
  return startVaultApp(page, { hardwareKey: { transport: transportFor(key), insertTimeoutMs: 5_000 } });
}

test('register a key with a touch, see its counter and last use, rename it, revoke it', async ({ page }) => {
  test.setTimeout(120_000); // four screens checked, each in two schemes at two widths
  const key = createSoftKey();
  app = await start(page, key);
  await app.open();
  await page.getByRole('button', { name: 'Security keys', exact: true }).click();
  const screen = page.getByRole('region', { name: 'Security keys' });
  await expect(screen.getByText('No security keys registered.')).toBeVisible();
  await checkScreen(page, 'security-keys-empty');

  // Register: the key waits for a touch, and the dialog says so until it comes.
  key.authenticator.userPresence = 'manual';
  await screen.getByRole('button', { name: 'Register a key…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Register a security key' });
  await dialog.getByLabel('Name', { exact: true }).fill('Blue key');
  await dialog.getByRole('button', { name: 'Register' }).click();
  await expect(dialog.getByRole('status')).toHaveText('Touch your security key now to register it.');
  await checkScreen(page, 'security-keys-register-touch');
  await expect(async () => {
    key.authenticator.touch();
    await expect(dialog).toBeHidden({ timeout: 250 });
  }).toPass();

  const row = screen.getByRole('row', { name: /Blue key/ });
  const cells = row.getByRole('cell');
  await expect(cells.nth(1)).toHaveText('Never'); // last used
  const registeredCount = Number(await cells.nth(0).textContent());
  const [stored] = app.backend.currentSession().hardwareKeys.list();
  expect(stored?.record.name).toBe('Blue key');
  await checkScreen(page, 'security-keys-list');

  // A level-5 memory stored by the owner is wrapped to the key (a touch: the counter moves).
  key.authenticator.userPresence = 'auto';
  await app.backend.engine.store({ content: 'the vault of vaults', level: 5, title: 'Top secret' }, { kind: 'owner', channel: 'desktop' });

  // Rename (the list reloads with the key's new counter and last use).
  await row.getByRole('button', { name: 'Rename Blue key…' }).click();
  const rename = page.getByRole('dialog', { name: 'Rename Blue key' });
  await rename.getByLabel('New name').fill('Backup key');
  await rename.getByRole('button', { name: 'Rename' }).click();
  await expect(rename).toBeHidden();
  const renamed = screen.getByRole('row', { name: /Backup key/ });
  const renamedCells = renamed.getByRole('cell');
  await expect(renamedCells.nth(1)).not.toHaveText('Never');
  expect(Number(await renamedCells.nth(0).textContent())).toBeGreaterThan(registeredCount);
  await expect(renamedCells.nth(3)).toHaveText('1'); // one level-5 memory bound to it

  // Revoke: one memory is bound, so the dialog asks to accept losing it.
  await renamed.getByRole('button', { name: 'Revoke Backup key…' }).click();
  const revoke = page.getByRole('dialog', { name: 'Revoke Backup key?' });
  const confirm = revoke.getByRole('button', { name: 'Revoke key' });
  await expect(confirm).toBeDisabled();
  await revoke.getByLabel(/1 level-5 memory is bound to this key/).check();
  await checkScreen(page, 'security-keys-revoke');
  await confirm.click();
  await expect(revoke).toBeHidden();
  await expect(screen.getByText('No security keys registered.')).toBeVisible();
  await screen.getByLabel('Show revoked keys').check();
  await expect(screen.getByRole('row', { name: /Backup key/ })).toContainText('Revoked');

  // Each change is a profile.change leaf written by the desktop owner.
  const leaves = app.backend.engine.auditLog
    .list({ kind: 'profile.change', limit: 50 })
    .map((r) => leafSchema.parse(JSON.parse(r.json)))
    .map((e) => ({ action: e.details.action, actor: e.actor.id }));
  expect(leaves).toEqual([
    { action: 'hardware-key.register', actor: 'desktop' },
    { action: 'hardware-key.rename', actor: 'desktop' },
    { action: 'hardware-key.revoke', actor: 'desktop' },
  ]);
});

test('cancel while the key waits for a touch: the registration stops and nothing is registered', async ({ page }) => {
  const key = createSoftKey();
  key.authenticator.userPresence = 'manual';
  app = await start(page, key);
  await app.open();
  await page.getByRole('button', { name: 'Security keys', exact: true }).click();
  await page.getByRole('button', { name: 'Register a key…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Register a security key' });
  await dialog.getByLabel('Name', { exact: true }).fill('Never touched');
  await dialog.getByRole('button', { name: 'Register' }).click();
  await expect(dialog.getByRole('status')).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel registration' }).click();
  await expect(dialog.getByRole('alert')).toContainText('Not registered');
  await expect(dialog.getByRole('button', { name: 'Register' })).toBeEnabled();
  expect(app.backend.currentSession().hardwareKeys.list()).toEqual([]);
});
