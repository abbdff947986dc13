// The dead-man switch through the window, on the real handlers with the software CTAP2
// authenticator behind the HID interface in main: arm it with a key touch (the window says
// "touch your key" until it comes), see its status, check in, disarm with the same key; each
// step is a deadman.* audit leaf by the desktop owner, and the key's counter and last use move.
import * as age from 'age-encryption';
import { expect, test } from '@playwright/test';
import { z } from 'zod';
import { armDeadman } from '../../src/node/deadman/deadman.service.js';
import { registerHardwareKey } from '../../src/node/hardware/hardware-key-admin.js';
import { createSoftKey, transportFor } from '../support/fido2/soft-key.js';
import { checkScreen } from './support/checks.js';
import { startVaultApp, type VaultApp } from './support/vault-app.js';

const HOUR = 3_600_000;
const leafSchema = z.object({ actor: z.object({ id: z.string() }), outcome: z.string() });

let app: VaultApp;
test.afterEach(async () => app?.close());

test('arm the switch with a key touch, see its status, check in, disarm', async ({ page }) => {
  test.setTimeout(120_000); // three screens checked, each in two schemes at two widths
  const key = createSoftKey();
  const transport = transportFor(key);
  app = await startVaultApp(page, { hardwareKey: { transport, insertTimeoutMs: 5_000 } });
  const session = app.backend.currentSession();
  await registerHardwareKey(session, { transport, name: 'Blue key', surface: 'desktop' });
  const memory = await app.backend.engine.store(
    { content: 'the safe code is 4-8-15-16', level: 1, title: 'Safe code' },
    { kind: 'owner', channel: 'desktop' },
  );
  const recipient = await age.identityToRecipient(await age.generateX25519Identity());
  await app.open();

  await page.getByRole('button', { name: 'Dead-man', exact: true }).click();
  const screen = page.getByRole('region', { name: 'Dead-man switch' });
  const facts = screen.getByRole('definition');
  await expect(facts.first()).toHaveText('Not armed');
  await checkScreen(page, 'deadman-disarmed');

  // Arm: the key waits for a touch and the dialog says so until it comes.
  await screen.getByRole('button', { name: 'Arm…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Arm the dead-man switch' });
  await dialog.getByLabel('Release folder').fill(`${app.root}/release`);
  await dialog.getByLabel('Heir 1 name').fill('alice');
  await dialog.getByLabel('Heir 1 age recipient').fill(recipient);
  await dialog.getByRole('button', { name: 'Arm with my security key' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Choose at least one memory to seal for your heirs, or a recovery key.');
  await dialog.getByLabel(/Safe code/).check();
  key.authenticator.userPresence = 'manual';
  await dialog.getByRole('button', { name: 'Arm with my security key' }).click();
  await expect(dialog.getByRole('status')).toHaveText(
    'Touch your security key now to arm the switch, then approve any sealed memory as it is packaged.',
  );
  await checkScreen(page, 'deadman-arm-touch');
  await expect(async () => {
    key.authenticator.touch();
    await expect(dialog).toBeHidden({ timeout: 250 });
  }).toPass();
  key.authenticator.userPresence = 'auto';

  await expect(facts.first()).toHaveText('Armed');
  await expect(screen).toContainText('alice');
  await expect(screen).toContainText(`${app.root}/release`);
  const armed = app.backend.engine.auditLog.list({ kind: 'deadman.arm', limit: 5 }).map((r) => leafSchema.parse(JSON.parse(r.json)));
  expect(armed).toEqual([{ actor: { id: 'desktop' }, outcome: 'ok' }]);
  // The packaged memory was recalled as the owner on the desktop channel (gated and audited).
  expect(app.backend.engine.auditLog.list({ kind: 'memory.recall', memoryId: memory.id, limit: 5 }).length).toBeGreaterThan(0);
  await checkScreen(page, 'deadman-armed');

  // Check in: the interval starts again, audited.
  await screen.getByRole('button', { name: 'Check in' }).click();
  await expect(screen.getByRole('status')).toHaveText('Checked in. The interval starts again now.');
  expect(app.backend.engine.auditLog.list({ kind: 'deadman.checkin', limit: 5 }).map((r) => leafSchema.parse(JSON.parse(r.json)))).toEqual([
    { actor: { id: 'desktop' }, outcome: 'ok' },
  ]);

  // Disarm with the same key (a second touch).
  await screen.getByRole('button', { name: 'Disarm…' }).click();
  const disarm = page.getByRole('dialog', { name: 'Disarm the dead-man switch?' });
  await disarm.getByRole('button', { name: 'Disarm' }).click();
  await expect(disarm).toBeHidden();
  await expect(facts.first()).toHaveText('Not armed');
  expect(app.backend.engine.auditLog.list({ kind: 'deadman.disarm', limit: 5 }).map((r) => leafSchema.parse(JSON.parse(r.json)))).toEqual([
    { actor: { id: 'desktop' }, outcome: 'ok' },
  ]);

  // Both touches show on the key: counter and last use.
  await page.getByRole('button', { name: 'Security keys', exact: true }).click();
  const cells = page.getByRole('row', { name: /Blue key/ }).getByRole('cell');
  await expect(cells.nth(1)).not.toHaveText('Never');
  expect(Number(await cells.nth(0).textContent())).toBeGreaterThanOrEqual(2);
});

test('disarming with a different registered key is refused with TOKEN_MISMATCH and the switch stays armed', async ({ page }) => {
  const armingKey = createSoftKey();
  const otherKey = createSoftKey();
  const transport = transportFor(armingKey);
  app = await startVaultApp(page, { hardwareKey: { transport, insertTimeoutMs: 5_000 } });
  const session = app.backend.currentSession();
  await registerHardwareKey(session, { transport, name: 'Arming key', surface: 'desktop' });
  await registerHardwareKey(session, { transport: transportFor(otherKey), name: 'Other key', surface: 'desktop' });
  const memory = await app.backend.engine.store({ content: 'letter', level: 1, title: 'Letter' }, { kind: 'owner', channel: 'desktop' });
  const recipient = await age.identityToRecipient(await age.generateX25519Identity());
  await app.open();
  await page.getByRole('button', { name: 'Dead-man', exact: true }).click();
  const screen = page.getByRole('region', { name: 'Dead-man switch' });
  await screen.getByRole('button', { name: 'Arm…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Arm the dead-man switch' });
  await dialog.getByLabel('Release folder').fill(`${app.root}/release`);
  await dialog.getByLabel('Heir 1 name').fill('bob');
  await dialog.getByLabel('Heir 1 age recipient').fill(recipient);
  await dialog.getByLabel(/Letter/).check();
  await dialog.getByRole('button', { name: 'Arm with my security key' }).click();
  await expect(dialog).toBeHidden();
  expect(memory.id).toBeTruthy();

  // Only the other key is plugged in now.
  armingKey.device.plugged = false;
  transport.devices.push(otherKey.device);
  await screen.getByRole('button', { name: 'Disarm…' }).click();
  const disarm = page.getByRole('dialog', { name: 'Disarm the dead-man switch?' });
  await disarm.getByRole('button', { name: 'Disarm' }).click();
  // The security-key step says the key is the wrong one and offers Retry; the owner closes it.
  const touch = page.getByRole('alertdialog', { name: 'Security key needed' });
  await expect(touch.getByRole('button', { name: 'Retry' })).toBeVisible();
  await touch.getByRole('button', { name: 'Close' }).click();
  await expect(disarm.getByRole('alert')).toContainText('Still armed');
  await disarm.getByRole('button', { name: 'Cancel' }).click();
  await expect(screen.getByRole('definition').first()).toHaveText('Armed');
  const refused = app.backend.engine.auditLog.list({ kind: 'deadman.disarm', limit: 5 }).map((r) => JSON.parse(r.json) as unknown);
  expect(refused).toEqual([expect.objectContaining({ outcome: 'refused', code: 'TOKEN_MISMATCH' })]);
});

test('a near deadline is shown on every tab; Check in now is audited', async ({ page }) => {
  test.setTimeout(90_000);
  const key = createSoftKey();
  const transport = transportFor(key);
  app = await startVaultApp(page, { hardwareKey: { transport, insertTimeoutMs: 5_000 } });
  const session = app.backend.currentSession();
  await registerHardwareKey(session, { transport, name: 'Blue key', surface: 'desktop' });
  const m = await app.backend.engine.store({ content: 'letter', level: 1, title: 'Letter' }, { kind: 'owner', channel: 'desktop' });
  const recipient = await age.identityToRecipient(await age.generateX25519Identity());
  // Warned for the whole interval: the switch is in its warning phase from the start.
  await armDeadman(session, {
    intervalMs: HOUR,
    graceMs: 0,
    warnBeforeMs: HOUR,
    releaseDir: `${app.root}/release`,
    heirs: [{ name: 'carol', recipient }],
    memoryIds: [m.id],
  });
  await app.open();
  const reminder = page.getByRole('region', { name: 'Dead-man switch reminder' });
  await expect(reminder.getByRole('alert')).toContainText('Dead-man switch: check in within');
  await checkScreen(page, 'deadman-reminder');
  await reminder.getByRole('button', { name: 'Check in now' }).click();
  await expect(reminder.getByRole('status')).toHaveText('Checked in.');
  expect(app.backend.engine.auditLog.list({ kind: 'deadman.checkin', limit: 5 }).map((r) => leafSchema.parse(JSON.parse(r.json)))).toEqual([
    { actor: { id: 'desktop' }, outcome: 'ok' },
  ]);
  // Not on the switch's own screen, which shows the same warning in place.
  await page.getByRole('button', { name: 'Dead-man', exact: true }).click();
  await expect(reminder).toHaveCount(0);
});
