// Level 5 end to end in the window, on the real handlers, with the software CTAP2 authenticator
// behind the HID-device interface in main (the backend's hardwareKey option) and a boundary
// daemon that attests an offline machine: an agent asks → approval dialog → approve → "touch your
// key" (from the key's keepalive) → touch → the agent gets the content; no touch → timeout;
// Cancel → CTAPHID CANCEL reaches the key; the wrong key → TOKEN_MISMATCH; and the owner's own
// reveal takes the same step.
import { expect, test, type Page } from '@playwright/test';
import type { DaemonChannel } from '../../src/core/integrations/daemon-channel.port.js';
import { changeBoundaryConfig } from '../../src/node/integrations/boundary-settings.js';
import { registerHardwareKey } from '../../src/node/hardware/hardware-key-admin.js';
import type { KeyTouchOptions } from '../../src/main/services/desktop-key-touch.js';
import { createSoftKey, transportFor, type SoftKey } from '../support/fido2/soft-key.js';
import { checkScreen } from './support/checks.js';
import { agentRecall, researchBot, startVaultApp, type VaultApp } from './support/vault-app.js';

const OWNER = { kind: 'owner', channel: 'desktop' } as const;
const SECRET = 'launch code: 0000-correct-horse';
const CTAPHID_CANCEL = 0x91;
const CTAPHID_KEEPALIVE = 0xbb;
const KEEPALIVE_UPNEEDED = 2;

let app: VaultApp;
test.afterEach(async () => app?.close());

/** A boundary daemon (behind the DaemonChannel seam) that attests this machine is offline. */
const offlineDaemon: DaemonChannel = {
  description: 'test boundary daemon (offline)',
  request: (command) =>
    Promise.resolve(command === 'get_mode' ? { mode: 'OFFLINE' } : { permitted: true, reason: 'network interfaces are down' }),
};

interface Level5 {
  readonly enrolled: SoftKey;
  readonly stranger: SoftKey;
  readonly memoryId: string;
  readonly shortId: string;
}

/** A vault with one registered soft key, a level-5 memory wrapped to it, and a stranger key not registered. */
async function level5App(page: Page, keyTouch: KeyTouchOptions = {}): Promise<Level5> {
  const enrolled = createSoftKey();
  const stranger = createSoftKey();
  stranger.device.plugged = false;
  const transport = transportFor(enrolled, stranger);
  app = await startVaultApp(page, {
    hardwareKey: { transport, insertTimeoutMs: 2_000 },
    boundary: { channelFor: () => offlineDaemon },
    keyTouch: { touchTimeoutMs: 20_000, ...keyTouch },
  });
  const session = app.backend.currentSession();
  await changeBoundaryConfig(session.engine, { daemon: '/run/test-boundary.sock' }, { type: 'owner', id: 'desktop' });
  await registerHardwareKey(session, { transport, name: 'Blue key', surface: 'desktop' });
  const m = await app.backend.engine.store({ content: SECRET, level: 5, title: 'Launch plan' }, OWNER);
  // From here on the key waits for a real touch.
  enrolled.authenticator.userPresence = 'manual';
  return { enrolled, stranger, memoryId: m.id, shortId: m.shortId };
}

/** The key has sent KEEPALIVE with UPNEEDED since `after`: the request is in flight, waiting for a touch. */
async function keyAsksForTouch(key: SoftKey, after: number): Promise<void> {
  const asking = (r: Uint8Array): boolean => r[4] === CTAPHID_KEEPALIVE && r[7] === KEEPALIVE_UPNEEDED;
  const deadline = Date.now() + 15_000;
  while (!key.device.sent.slice(after).some(asking)) {
    if (Date.now() > deadline) throw new Error('the key never asked for a touch');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Agent asks, the dialog shows (time printed), the owner approves once Approve is armed. */
async function askAndApprove(page: Page, l5: Level5, screenName?: string) {
  // Connected first: the figure is request → dialog on screen, not the agent's socket handshake.
  await app.agent(researchBot);
  const asked = performance.now();
  const recall = agentRecall(app, l5.memoryId, 'Prepare the launch checklist');
  const approval = page.getByRole('alertdialog', { name: /asks to recall a memory/ });
  await page.waitForSelector('.approval-dialog', { state: 'visible' });
  console.log(`approval dialog visible after ${Math.round(performance.now() - asked)} ms (level 5)`);
  await expect(approval.getByTestId('approval-environment')).toContainText('Permitted');
  await expect(approval.getByTestId('approval-environment')).toContainText('OFFLINE');
  await expect(approval.getByTestId('approval-key-next')).toBeVisible();
  if (screenName) await checkScreen(page, screenName);
  const approve = approval.getByRole('button', { name: 'Approve' });
  await expect(approve).not.toHaveAttribute('aria-disabled', 'true');
  await approve.click();
  await expect(approval).toBeHidden();
  // Wrapped: returning the bare promise from an async function would make the caller wait for the recall.
  return { recall };
}

test('agent asks → dialog with the environment verdict → approve → "touch your key" → touch → the agent gets the content', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const l5 = await level5App(page);
  await app.open();
  const mark = l5.enrolled.device.sent.length;
  const { recall } = await askAndApprove(page, l5, 'level5-approval-dialog');

  const touch = page.getByTestId('key-touch-dialog');
  await keyAsksForTouch(l5.enrolled, mark);
  await expect(touch).toHaveAttribute('data-state', 'touch-key');
  await expect(touch.getByTestId('key-touch-state')).toHaveText('Touch your security key now.');
  await expect(touch.getByTestId('key-touch-who')).toContainText('Research Bot');
  await expect(touch.getByTestId('key-touch-who')).toContainText(l5.shortId);
  await expect(touch.getByRole('progressbar', { name: 'Time left for the security key' })).toBeVisible();
  await expect(touch.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await checkScreen(page, 'level5-touch-key');

  l5.enrolled.authenticator.touch();
  expect(await recall).toEqual({ ok: true, content: SECRET });
  await expect(touch).toBeHidden();

  // The inbox says what was released to whom.
  await page.getByRole('button', { name: 'Inbox', exact: true }).click();
  const row = page.getByTestId('inbox-row').first();
  await expect(row).toHaveAttribute('data-outcome', 'released');
  await expect(row).toContainText('Released to Research Bot');
  await checkScreen(page, 'inbox');
});

test('no touch: the step times out, says so, offers Retry; Close refuses the agent with TOKEN_REQUIRED', async ({ page }) => {
  test.setTimeout(90_000);
  const l5 = await level5App(page, { touchTimeoutMs: 1_500 });
  await app.open();
  const { recall } = await askAndApprove(page, l5);
  const touch = page.getByTestId('key-touch-dialog');
  await expect(touch).toHaveAttribute('data-state', 'timed-out', { timeout: 10_000 });
  await expect(touch.getByTestId('key-touch-error')).toContainText('not touched within 2 s');
  await expect(touch.getByRole('button', { name: 'Retry' })).toBeFocused();
  await checkScreen(page, 'level5-timed-out');

  await touch.getByRole('button', { name: 'Close' }).click();
  expect(await recall).toEqual({ ok: false, code: 'TOKEN_REQUIRED' });
  await expect(touch).toBeHidden();
  // The failure reaches the owner as a notice and in the inbox.
  await expect(page.getByTestId('inbox-notice').first()).toContainText('Approved, then failed');
});

test('Retry after a timeout asks for the key again, and a touch then releases', async ({ page }) => {
  test.setTimeout(60_000);
  const l5 = await level5App(page, { touchTimeoutMs: 1_500 });
  await app.open();
  const { recall } = await askAndApprove(page, l5);
  const touch = page.getByTestId('key-touch-dialog');
  await expect(touch).toHaveAttribute('data-state', 'timed-out', { timeout: 10_000 });
  const mark = l5.enrolled.device.sent.length;
  await touch.getByRole('button', { name: 'Retry' }).click();
  await keyAsksForTouch(l5.enrolled, mark);
  l5.enrolled.authenticator.touch();
  expect(await recall).toEqual({ ok: true, content: SECRET });
});

test('Cancel sends CTAPHID CANCEL to the key and the agent is refused', async ({ page }) => {
  test.setTimeout(60_000);
  const l5 = await level5App(page);
  await app.open();
  const mark = l5.enrolled.device.sent.length;
  const { recall } = await askAndApprove(page, l5);
  const touch = page.getByTestId('key-touch-dialog');
  await keyAsksForTouch(l5.enrolled, mark);
  const cancelsBefore = l5.enrolled.device.received.filter((r) => r[4] === CTAPHID_CANCEL).length;
  await touch.getByRole('button', { name: 'Cancel' }).click();
  await expect(touch).toHaveAttribute('data-state', 'cancelled');
  await expect(touch.getByTestId('key-touch-error')).toContainText('You cancelled');
  expect(l5.enrolled.device.received.filter((r) => r[4] === CTAPHID_CANCEL).length).toBe(cancelsBefore + 1);
  await checkScreen(page, 'level5-cancelled');
  expect(await recall).toEqual({ ok: false, code: 'TOKEN_REQUIRED' });
  await touch.getByRole('button', { name: 'Close' }).click();
  await expect(touch).toBeHidden();
});

test('the wrong key: TOKEN_MISMATCH is shown, and Close refuses the agent with TOKEN_MISMATCH', async ({ page }) => {
  test.setTimeout(90_000);
  const l5 = await level5App(page);
  l5.enrolled.device.plugged = false;
  l5.stranger.device.plugged = true;
  await app.open();
  const { recall } = await askAndApprove(page, l5);
  const touch = page.getByTestId('key-touch-dialog');
  await expect(touch).toHaveAttribute('data-state', 'failed');
  await expect(touch.getByTestId('key-touch-error')).toContainText('TOKEN_MISMATCH');
  await expect(touch.getByTestId('key-touch-error')).toContainText('not the security key this memory is bound to');
  await checkScreen(page, 'level5-token-mismatch');
  await touch.getByRole('button', { name: 'Close' }).click();
  expect(await recall).toEqual({ ok: false, code: 'TOKEN_MISMATCH' });
});

test("the owner's own level-5 reveal takes the same key step", async ({ page }) => {
  test.setTimeout(60_000);
  const l5 = await level5App(page);
  await app.open();
  await page
    .getByRole('button', { name: /Launch plan/ })
    .first()
    .click();
  const mark = l5.enrolled.device.sent.length;
  await page.getByLabel(/Passphrase/).fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Reveal content' }).click();
  const touch = page.getByTestId('key-touch-dialog');
  await keyAsksForTouch(l5.enrolled, mark);
  await expect(touch).toHaveAttribute('data-state', 'touch-key');
  await expect(touch.getByTestId('key-touch-who')).toContainText('You are revealing');
  l5.enrolled.authenticator.touch();
  await expect(page.getByTestId('revealed-content')).toHaveText(SECRET);
  await expect(touch).toBeHidden();
});
