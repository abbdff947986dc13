// Live updates and approval attention (issue 15 items 5 and 6): main pushes what changed and the
// open screen re-reads it without a tab switch — an agent's store over the real socket, a
// tombstone, lockdown and an agent created from another owner surface; the header badge and the
// window title carry the pending count; a notification click focuses the dialog; a reminder
// banner comes before a request expires. Timings are printed, never asserted.
import { expect, test } from '@playwright/test';
import { approvalFocusEvent } from '../../src/shared/attention.contract.js';
import { checkScreen } from './support/checks.js';
import { agentRecall, researchBot, startVaultApp, type VaultApp } from './support/vault-app.js';

let app: VaultApp;
test.afterEach(async () => app?.close());

const OWNER = { kind: 'owner', channel: 'desktop' } as const;

test("an agent's store over the real socket appears in the open memory list without navigation", async ({ page }) => {
  app = await startVaultApp(page);
  await app.open();
  await expect(page.getByRole('heading', { name: 'Memories' })).toBeVisible();
  await expect(page.getByText('No memories yet.')).toBeVisible();
  const client = await app.agent(researchBot);

  const sent = performance.now();
  const stored = await client.store({ content: 'staging deploys go through the bastion', level: 1, title: 'Deploy route' });
  const committed = performance.now();
  await expect(page.getByRole('button', { name: /Deploy route/ })).toBeVisible();
  const shown = performance.now();
  console.log(
    `live list update: agent's store appeared ${Math.round(shown - sent)} ms after the request ` +
      `(${Math.round(shown - committed)} ms after the agent's store returned)`,
  );
  await expect(page.getByRole('button', { name: /Deploy route/ })).toContainText(stored.shortId);

  // A burst: each store shows up, still without navigation.
  for (const title of ['Burst one', 'Burst two', 'Burst three']) await client.store({ content: title, level: 0, title });
  for (const title of ['Burst one', 'Burst two', 'Burst three'])
    await expect(page.getByRole('button', { name: new RegExp(title) })).toBeVisible();
});

test('a tombstone, lockdown and a new agent made on another owner surface appear live', async ({ page }) => {
  app = await startVaultApp(page);
  const m = await app.backend.engine.store({ content: 'old key', level: 2, title: 'Retired key' }, OWNER);
  await app.open();
  const row = page.getByRole('button', { name: /Retired key/ });
  await expect(row).toBeVisible();
  await expect(row).not.toContainText('Tombstoned');

  // As `memory-vault tombstone` over the owner socket would: not through this window.
  await app.backend.tombstone(m.id, m.shortId);
  await expect(row).toContainText('Tombstoned');

  await app.backend.engageLockdown('Engaged from the CLI');
  await expect(page.getByRole('status').filter({ hasText: 'Lockdown active' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Lift lockdown…' })).toBeVisible();

  await page.getByRole('button', { name: 'Agents', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Agents' })).toBeVisible();
  await expect(page.getByRole('row', { name: /ci-runner/ })).toHaveCount(0);
  await app.backend.createAgent({ name: 'ci-runner', maxLevel: 1 });
  await expect(page.getByRole('row', { name: /ci-runner/ })).toBeVisible();

  // Names are unique: the same name (in any case) from this window is refused, and nothing is made.
  await page.getByRole('button', { name: 'New agent…' }).click();
  const form = page.getByRole('dialog', { name: 'New agent' });
  await form.getByLabel('Name', { exact: true }).fill('CI-Runner');
  await page.keyboard.press('Enter');
  await expect(form.getByRole('alert')).toContainText('An agent with this name already exists');
  await checkScreen(page, 'agent-duplicate-name');
  await form.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('row', { name: /ci-runner/i })).toHaveCount(1);
});

test('the header badge and the window title carry the pending count; a notification click focuses the dialog', async ({ page }) => {
  app = await startVaultApp(page);
  const a = await app.backend.engine.store({ content: 'alpha', level: 3, title: 'Alpha secret' }, OWNER);
  const b = await app.backend.engine.store({ content: 'beta', level: 3, title: 'Beta secret' }, OWNER);
  await app.open();
  const badge = page.getByRole('status', { name: 'No pending approvals' });
  await expect(badge).toBeVisible();
  await expect(page).toHaveTitle('Memory Vault');

  const first = agentRecall(app, a.id, 'first');
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toBeVisible();
  await expect(page.getByRole('status', { name: '1 pending approval' })).toBeVisible();
  const second = agentRecall(app, b.id, 'second');
  await expect(page.getByRole('status', { name: '2 pending approvals' })).toBeVisible();
  await expect(page).toHaveTitle('(2) Memory Vault — approval needed');
  await checkScreen(page, 'pending-badge');

  // Focus wanders off the safe default; the notification's action brings it back to Deny.
  await dialog.getByLabel('Allow for').focus();
  await expect(dialog.getByRole('button', { name: 'Deny' })).not.toBeFocused();
  const pending = app.backend.pendingApprovals();
  app.emit(approvalFocusEvent.channel, { requestId: pending[0]?.requestId ?? '' });
  await expect(dialog.getByRole('button', { name: 'Deny' })).toBeFocused();

  await page.keyboard.press('Enter');
  expect(await first).toEqual({ ok: false, code: 'APPROVAL_DENIED' });
  await expect(page.getByRole('status', { name: '1 pending approval' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Deny' }).focus();
  await page.keyboard.press('Enter');
  expect(await second).toEqual({ ok: false, code: 'APPROVAL_DENIED' });
  await expect(page.getByRole('status', { name: 'No pending approvals' })).toBeVisible();
  await expect(page).toHaveTitle('Memory Vault');
});

test('a reminder banner comes before a pending request expires, and goes with it', async ({ page }) => {
  test.setTimeout(60_000);
  // 16 s requests: the reminder is due half-way (the lead is capped at half the lifetime).
  app = await startVaultApp(page, { approvalTimeoutMs: 16_000 });
  const m = await app.backend.engine.store({ content: 'gamma', level: 3, title: 'Gamma secret' }, OWNER);
  await app.open();
  const recall = agentRecall(app, m.id, 'nightly job');
  await expect(page.getByRole('alertdialog')).toBeVisible();
  const reminder = page.getByTestId('approval-expiry-reminder');
  await expect(reminder).toBeHidden();
  await expect(reminder).toBeVisible({ timeout: 15_000 });
  await expect(reminder).toHaveAttribute('role', 'alert');
  await expect(reminder).toContainText('Research Bot');
  await expect(reminder).toContainText('expires within 0:08');
  await checkScreen(page, 'approval-expiry-reminder');
  expect(await recall).toEqual({ ok: false, code: 'APPROVAL_EXPIRED' });
  await expect(reminder).toBeHidden();
});
