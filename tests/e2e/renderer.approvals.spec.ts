// Owner approvals in the renderer: agent asks for a level-3 recall → dialog → approve or deny
// by keyboard alone → the agent hears the outcome; expiry; a queue of several requests.
import { expect, test } from '@playwright/test';
import { checkScreen } from './support/checks.js';
import { agentRecall, startVaultApp, type VaultApp } from './support/vault-app.js';

let app: VaultApp;
test.afterEach(async () => app?.close());

async function sealedMemory(a: VaultApp, title = 'Production database password', content = 'hunter2-but-longer') {
  return a.backend.engine.store(
    { content, level: 3, title, tags: ['ops', 'db'], namespace: 'infra' },
    { kind: 'owner', channel: 'desktop' },
  );
}

test('approve by keyboard: the dialog shows agent, level and justification, and the agent gets the content', async ({ page }) => {
  app = await startVaultApp(page);
  const m = await sealedMemory(app);
  await app.open();
  await expect(page.getByRole('heading', { name: 'Memories' })).toBeVisible();
  await checkScreen(page, 'memories');

  const asked = performance.now();
  const recall = agentRecall(app, m.id, 'Rotate the credentials before the audit on Friday');
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toBeVisible();
  console.log(`approval dialog visible ${Math.round(performance.now() - asked)} ms after the agent's request`);

  await expect(dialog.getByTestId('approval-agent')).toHaveText('Research Bot');
  await expect(dialog.getByText('L3 · Sealed')).toBeVisible();
  await expect(dialog.getByTestId('approval-memory-title')).toHaveText('Production database password');
  await expect(dialog.getByTestId('approval-justification')).toHaveText('Rotate the credentials before the audit on Friday');
  await expect(dialog.getByTestId('approval-countdown')).toContainText('Expires in');
  await expect(dialog.getByRole('button', { name: 'Deny' })).toBeFocused();
  await checkScreen(page, 'approval-dialog');

  // Keyboard only: Tab moves Deny → Approve, Enter approves once Approve is armed.
  await page.keyboard.press('Tab');
  await expect(dialog.getByRole('button', { name: 'Approve' })).toBeFocused();
  await expect(dialog.getByRole('button', { name: 'Approve' })).not.toHaveAttribute('aria-disabled', 'true');
  await page.keyboard.press('Enter');
  expect(await recall).toEqual({ ok: true, content: 'hunter2-but-longer' });
  await expect(dialog).toBeHidden();
});

test('deny by keyboard: the agent is refused with APPROVAL_DENIED', async ({ page }) => {
  app = await startVaultApp(page);
  const m = await sealedMemory(app);
  await app.open();
  const recall = agentRecall(app, m.id, 'just curious');
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Deny' })).toBeFocused();
  await page.keyboard.press('Enter');
  expect(await recall).toEqual({ ok: false, code: 'APPROVAL_DENIED' });
  await expect(dialog).toBeHidden();
});

test('a level-3 grant: "allow for 15 minutes" lets the next recall through without a dialog', async ({ page }) => {
  app = await startVaultApp(page);
  const m = await sealedMemory(app);
  await app.open();
  const first = agentRecall(app, m.id, 'batch job, first of many');
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Allow for').selectOption('15');
  await dialog.getByRole('button', { name: 'Approve' }).click();
  expect(await first).toMatchObject({ ok: true });
  expect(await agentRecall(app, m.id, 'batch job, second')).toMatchObject({ ok: true });
  await expect(dialog).toBeHidden();
});

test('several pending requests queue behind one another', async ({ page }) => {
  app = await startVaultApp(page);
  const a = await sealedMemory(app, 'Alpha secret', 'alpha');
  const b = await sealedMemory(app, 'Beta secret', 'beta');
  await app.open();
  const ra = agentRecall(app, a.id, 'first');
  const dialog = page.getByRole('alertdialog');
  await expect(dialog.getByTestId('approval-memory-title')).toHaveText('Alpha secret');
  const rb = agentRecall(app, b.id, 'second', { name: 'Ops Agent', maxLevel: 3 });
  await expect(dialog.getByText('Request 1 of 2')).toBeVisible();
  await page.keyboard.press('Enter'); // Deny (initial focus) the first
  expect(await ra).toEqual({ ok: false, code: 'APPROVAL_DENIED' });
  await expect(dialog.getByTestId('approval-agent')).toHaveText('Ops Agent');
  await expect(dialog.getByTestId('approval-memory-title')).toHaveText('Beta secret');
  await expect(dialog.getByRole('button', { name: 'Deny' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(dialog.getByRole('button', { name: 'Approve' })).not.toHaveAttribute('aria-disabled', 'true');
  await page.keyboard.press('Enter');
  expect(await rb).toEqual({ ok: true, content: 'beta' });
});

test('an unanswered request expires: the dialog goes away and the agent gets APPROVAL_EXPIRED', async ({ page }) => {
  app = await startVaultApp(page, { approvalTimeoutMs: 2_500 });
  const m = await sealedMemory(app);
  await app.open();
  const recall = agentRecall(app, m.id, 'nobody will answer');
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toBeVisible();
  expect(await recall).toEqual({ ok: false, code: 'APPROVAL_EXPIRED' });
  await expect(dialog).toBeHidden();
});
