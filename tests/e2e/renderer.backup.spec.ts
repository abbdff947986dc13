// Backups through the window, over the real handlers and a real vault: create one (its progress
// bar advances to the end), verify it, restore it into a new folder (the restored vault opens and
// holds the memory), and restore over the open vault (it locks; after unlocking, the vault is the
// backed-up one).
import { expect, test, type Page } from '@playwright/test';
import { join } from 'node:path';
import { unlockVault } from '../../src/node/composition/vault-sessions.js';
import { checkScreen } from './support/checks.js';
import { fractions, recordProgress } from './support/progress.js';
import { PASSPHRASE, startVaultApp, type VaultApp } from './support/vault-app.js';

const OWNER = { kind: 'owner', channel: 'desktop' } as const;
const BACKUP_PASSPHRASE = 'backup passphrase 2026';

let app: VaultApp;
test.afterEach(async () => app?.close());

/** A memory to find again, and enough content for the backup to span several 1 MiB chunks. */
async function seed(a: VaultApp): Promise<string> {
  const m = await a.backend.engine.store({ content: 'the gate code is 4711', level: 1, title: 'Garden gate code' }, OWNER);
  for (const i of [1, 2, 3]) await a.backend.engine.store({ content: `${i}`.repeat(700_000), level: 0, title: `Bulk ${i}` }, OWNER);
  return m.id;
}

async function createBackup(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Backup', exact: true }).click();
  await page.getByLabel('Backup passphrase', { exact: true }).fill(BACKUP_PASSPHRASE);
  await page.getByLabel('Repeat the backup passphrase').fill(BACKUP_PASSPHRASE);
  await page.getByRole('button', { name: 'Create backup…' }).click();
  const saved = page.getByText(/^Saved memory-vault-.*\.mvbackup/);
  await expect(saved).toBeVisible();
  const text = (await saved.textContent()) ?? '';
  return /^Saved (\S+)/.exec(text)?.[1] ?? '';
}

test('create a backup with progress, verify it, restore it into a new folder', async ({ page }) => {
  test.setTimeout(120_000); // three screens checked (two schemes, two widths) and a 2 MB vault backed up, verified and restored
  app = await startVaultApp(page);
  const memoryId = await seed(app);
  await app.open();
  const progress = await recordProgress(page);

  const fileName = await createBackup(page);
  expect(fileName).toMatch(/\.mvbackup$/);
  // The bar on the screen reached the end…
  const bar = page.getByTestId('progress-backup');
  await expect(bar).toHaveAttribute('data-phase', 'done');
  await expect(bar.getByRole('progressbar', { name: 'Backup progress' })).toHaveAttribute('value', '100');
  // …through intermediate values pushed by main while the file was written (not one jump).
  const seen = fractions(await progress('backup'));
  expect(seen[0]).toBe(0);
  expect(seen.at(-1)).toBe(1);
  expect(seen.filter((f) => f > 0 && f < 1).length).toBeGreaterThanOrEqual(2);
  expect(seen).toEqual([...seen].sort((a, b) => a - b));
  await expect(page.getByTestId('backup-row')).toHaveCount(1);
  await checkScreen(page, 'backup');

  // Verify: a wrong passphrase is refused, the right one reports what the backup holds.
  await page.getByRole('button', { name: `Verify ${fileName}…` }).click();
  const verify = page.getByRole('dialog');
  await verify.getByLabel('Backup passphrase').fill('not the passphrase');
  await verify.getByRole('button', { name: 'Verify', exact: true }).click();
  await expect(verify.getByRole('alert')).toContainText('Not verified');
  await verify.getByLabel('Backup passphrase').fill(BACKUP_PASSPHRASE);
  await verify.getByRole('button', { name: 'Verify', exact: true }).click();
  await expect(verify.getByTestId('verify-result')).toContainText('Verified: 4 memories');
  await expect(verify.getByTestId('verify-result')).toContainText('signed by this vault’s audit key');
  await expect(verify.getByTestId('progress-verify')).toHaveAttribute('data-phase', 'done');
  await checkScreen(page, 'backup-verify');
  await verify.getByRole('button', { name: 'Close' }).click();

  // Restore into a new folder (the fixture's chooser answers <root>/restored).
  await page.getByRole('button', { name: `Restore ${fileName}…` }).click();
  const restore = page.getByRole('dialog');
  await restore.getByLabel('Backup passphrase').fill(BACKUP_PASSPHRASE);
  await restore.getByLabel('Vault passphrase').fill(PASSPHRASE);
  await restore.getByRole('button', { name: 'Restore…' }).click();
  await expect(restore.getByTestId('restore-result')).toContainText('4 memories');
  await expect(restore.getByTestId('restore-result')).toContainText('its audit log verifies');
  await expect(restore.getByTestId('progress-restore')).toHaveAttribute('data-phase', 'done');
  expect(fractions(await progress('restore')).at(-1)).toBe(1);
  await checkScreen(page, 'backup-restore');

  // The restored vault is a vault of its own: it opens with the passphrase and holds the memory.
  const restored = await unlockVault({ dir: join(app.root, 'restored'), credentials: { kind: 'passphrase', passphrase: PASSPHRASE } });
  try {
    const found = restored.engine.describe(memoryId);
    expect(found.title).toBe('Garden gate code');
    expect((await restored.engine.auditLog.verify()).ok).toBe(true);
  } finally {
    restored.close();
  }
  // The open vault was not touched.
  expect(app.backend.status().state).toBe('unlocked');
});

test('restore over the open vault locks it; after unlocking it is the backed-up vault', async ({ page }) => {
  test.setTimeout(90_000);
  app = await startVaultApp(page);
  const kept = await seed(app);
  await app.open();
  const fileName = await createBackup(page);
  // Written after the backup: the restore takes the vault back to before it.
  const later = await app.backend.engine.store({ content: 'after the backup', level: 1, title: 'Later note' }, OWNER);

  await page.getByRole('button', { name: `Restore ${fileName}…` }).click();
  const restore = page.getByRole('dialog');
  await restore.getByLabel('This vault, replacing it').check();
  await expect(restore.getByText('the current vault folder is moved aside')).toBeVisible();
  await restore.getByLabel('Backup passphrase').fill(BACKUP_PASSPHRASE);
  await restore.getByLabel('Vault passphrase').fill(PASSPHRASE);
  await restore.getByRole('button', { name: 'Replace this vault' }).click();

  await expect(page.getByRole('heading', { name: 'Unlock Memory Vault' })).toBeVisible();
  await expect(page.getByTestId('relock-notice')).toContainText('Backup restored over this vault');
  await checkScreen(page, 'backup-restored-over-vault');
  await page.getByLabel('Passphrase').fill(PASSPHRASE);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Memories' })).toBeVisible();
  await expect(page.getByTestId('relock-notice')).toHaveCount(0);
  expect(app.backend.engine.describe(kept).title).toBe('Garden gate code');
  expect(() => app.backend.engine.describe(later.id)).toThrow();
});
