// Level 4 in the window, on the real handlers, with a boundary daemon behind the DaemonChannel
// seam: when it attests an offline machine the approval dialog shows that verdict and approval
// releases the content; when it refuses, no dialog appears — the owner sees the refused request
// and its reason as a notice and in the inbox (issue 15: the owner never heard of it).
import { expect, test, type Page } from '@playwright/test';
import type { DaemonChannel } from '../../src/core/integrations/daemon-channel.port.js';
import { changeBoundaryConfig } from '../../src/node/integrations/boundary-settings.js';
import { checkScreen } from './support/checks.js';
import { agentRecall, researchBot, startVaultApp, type VaultApp } from './support/vault-app.js';

const OWNER = { kind: 'owner', channel: 'desktop' } as const;
const SECRET = 'the recovery phrase is in the blue binder';

let app: VaultApp;
test.afterEach(async () => app?.close());

function daemon(mode: string, permitted: boolean, reason: string): DaemonChannel {
  return {
    description: `test boundary daemon (${mode})`,
    request: (command) => Promise.resolve(command === 'get_mode' ? { mode } : { permitted, reason }),
  };
}

async function level4App(page: Page, channel: DaemonChannel) {
  app = await startVaultApp(page, { boundary: { channelFor: () => channel } });
  await changeBoundaryConfig(app.backend.engine, { daemon: '/run/test-boundary.sock' }, { type: 'owner', id: 'desktop' });
  const m = await app.backend.engine.store({ content: SECRET, level: 4, title: 'Recovery phrase', namespace: 'infra' }, OWNER);
  await app.open();
  return m;
}

test('a boundary daemon attests offline: the dialog shows the verdict, approval releases the content', async ({ page }) => {
  test.setTimeout(60_000);
  const m = await level4App(page, daemon('OFFLINE', true, 'all network interfaces are down'));
  // Connected first: the figure is request → dialog on screen, not the agent's socket handshake.
  await app.agent(researchBot);
  const asked = performance.now();
  const recall = agentRecall(app, m.id, 'Restore the staging cluster');
  const dialog = page.getByRole('alertdialog', { name: /asks to recall a memory/ });
  await page.waitForSelector('.approval-dialog', { state: 'visible' });
  console.log(`approval dialog visible after ${Math.round(performance.now() - asked)} ms (level 4)`);
  const verdict = dialog.getByTestId('approval-environment');
  await expect(verdict).toContainText('Permitted');
  await expect(verdict).toContainText('attested by the boundary provider');
  await expect(verdict).toContainText('all network interfaces are down');
  await checkScreen(page, 'level4-approval-verdict');
  const approve = dialog.getByRole('button', { name: 'Approve' });
  await expect(approve).not.toHaveAttribute('aria-disabled', 'true');
  await approve.click();
  expect(await recall).toEqual({ ok: true, content: SECRET });
  await expect(dialog).toBeHidden();
});

test('a boundary daemon refuses: no dialog, the owner sees the refused request and its reason (notice and inbox)', async ({ page }) => {
  test.setTimeout(60_000);
  const m = await level4App(page, daemon('ONLINE', false, 'level 4 needs OFFLINE or AIRGAP; this machine is ONLINE'));
  await expect(page.getByRole('heading', { name: 'Memories' })).toBeVisible();
  expect(await agentRecall(app, m.id, 'Restore the staging cluster')).toEqual({ ok: false, code: 'BOUNDARY_DENIED' });
  await expect(page.getByRole('alertdialog')).toHaveCount(0);

  const notice = page.getByTestId('inbox-notice');
  await expect(notice).toContainText('Refused by the environment');
  await expect(notice).toContainText('Research Bot');
  await expect(notice).toContainText('level 4 needs OFFLINE or AIRGAP');
  await checkScreen(page, 'level4-refused-notice');

  await page.getByRole('button', { name: 'Inbox', exact: true }).click();
  const row = page.getByTestId('inbox-row').first();
  await expect(row).toHaveAttribute('data-outcome', 'refused');
  await expect(row).toContainText('BOUNDARY_DENIED');
  await expect(row).toContainText('Research Bot');
  await expect(row).toContainText('this machine is ONLINE');
  await checkScreen(page, 'inbox-refused');
});
