// Issue 15 items 7 and 8 in the renderer with the real handlers: the audit browser names agents
// and memories, lists newest first, narrows by time and shows whole error codes; a failed
// verification is shown on every tab with the next steps; the header fits the minimum window;
// dark mode follows the OS; level badges are distinct; errors say what to do; a copied secret
// leaves the clipboard and revealed content hides itself.
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { openRaw } from '../support/vault-fixture.js';
import { checkScreen, MIN_WINDOW } from './support/checks.js';
import { PASSPHRASE, agentRecall, startVaultApp, type VaultApp } from './support/vault-app.js';

const OWNER = { kind: 'owner', channel: 'desktop' } as const;

let app: VaultApp;
test.afterEach(async () => app?.close());

async function seqsShown(list: Locator): Promise<number[]> {
  const texts = await list.locator('.seq').allTextContents();
  return texts.map((t) => Number(t.replace('#', '')));
}

test('audit rows name the agent and the memory, newest first; a time range narrows; error codes are whole', async ({ page }) => {
  app = await startVaultApp(page);
  const m = await app.backend.engine.store({ content: 'x', level: 3, title: 'Sealed note' }, OWNER);
  await app.open();
  const denied = agentRecall(app, m.id, 'want it');
  await page.getByRole('alertdialog').getByRole('button', { name: 'Deny' }).click();
  expect(await denied).toEqual({ ok: false, code: 'APPROVAL_DENIED' });

  await page.getByRole('button', { name: 'Audit log' }).click();
  const list = page.getByRole('region', { name: 'Audit events' });
  await expect(list.getByText('APPROVAL_DENIED')).toBeVisible();
  // Newest first by default: descending seq, starting at the last event of the log.
  const total = app.backend.engine.auditLog.size();
  const shown = await seqsShown(list);
  expect(shown[0]).toBe(total - 1);
  expect(shown).toEqual([...shown].sort((a, b) => b - a));

  // Names beside ids: the agent's registered name and the memory's title, not UUIDs.
  const refused = list.getByRole('button').filter({ hasText: 'APPROVAL_DENIED' });
  await expect(refused).toContainText('Research Bot (agent)');
  await expect(refused).toContainText('Sealed note');
  await refused.click();
  const detail = page.getByRole('article');
  await expect(detail).toContainText('Research Bot');
  await expect(detail).toContainText('Sealed note');

  // The whole code, not "APPRO…", also at the window's minimum width.
  await page.setViewportSize(MIN_WINDOW);
  const code = list.getByText('APPROVAL_DENIED');
  await expect(code).toHaveText('APPROVAL_DENIED');
  expect(await code.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  await checkScreen(page, 'audit-browser-named');
  await page.setViewportSize({ width: 1280, height: 720 });

  // Time range: a window starting in the future is empty; one around now holds everything.
  const at = (offsetMin: number) => {
    const d = new Date(Date.now() + offsetMin * 60_000);
    const p = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
  };
  await page.getByLabel('From', { exact: true }).fill(at(5));
  await expect(page.getByText('No event matches these filters.')).toBeVisible();
  await page.getByLabel('From', { exact: true }).fill(at(-60));
  await page.getByLabel('To', { exact: true }).fill(at(-30));
  await expect(page.getByText('No event matches these filters.')).toBeVisible();
  await page.getByLabel('To', { exact: true }).fill(at(5));
  await expect(list.getByText('APPROVAL_DENIED')).toBeVisible();
  expect(await seqsShown(list)).toHaveLength(total);

  // Oldest first on request.
  await page.getByLabel('Order').selectOption('oldest');
  await expect(list.locator('.seq').first()).toHaveText('#0');
});

test('a tampered log is flagged on every tab, with what to do next', async ({ page }) => {
  app = await startVaultApp(page);
  await app.backend.engine.store({ content: 'x', level: 1, title: 'Working note' }, OWNER);
  // An attacker with the database key edits a signed event (a second connection, as a tool would).
  const db = await openRaw(join(app.root, 'vault'), { kind: 'passphrase', passphrase: PASSPHRASE });
  db.prepare('UPDATE audit_events SET json = replace(json, \'"outcome":"ok"\', \'"outcome":"refused"\') WHERE seq = 1').run();
  db.close();
  await app.open();

  await expect(page.getByRole('heading', { name: 'Memories' })).toBeVisible();
  const alert = page.getByTestId('integrity-alert');
  await expect(alert).toContainText('The audit log failed verification');
  await expect(alert).toContainText('Tamper detected at event 1');
  await expect(alert).toContainText('Engage Lockdown');
  await expect(alert).toContainText('Restore the vault from a backup');
  await page.getByRole('button', { name: 'Agents', exact: true }).click();
  await expect(alert).toBeVisible();
  await checkScreen(page, 'integrity-alert');
  await alert.getByRole('button', { name: 'Open the audit log' }).click();
  await expect(page.getByTestId('integrity-banner')).toContainText('Tamper detected at event 1');
  await expect(page.getByTestId('integrity-alert')).toHaveCount(0);
});

async function colours(page: Page, selector: string): Promise<{ fg: number[]; bg: number[] }> {
  return page
    .locator(selector)
    .first()
    .evaluate((el) => {
      const rgb = (c: string) => (c.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number);
      const s = getComputedStyle(el);
      return { fg: rgb(s.color), bg: rgb(s.backgroundColor) };
    });
}
const distance = (a: number[], b: number[]) => Math.hypot(...a.map((v, i) => v - (b[i] ?? 0)));

test('the header fits at 820 px with lockdown on; dark mode follows the OS; level 3 and 4 badges differ', async ({ page }) => {
  app = await startVaultApp(page);
  await app.backend.engine.store({ content: 'a', level: 3, title: 'Three' }, OWNER);
  await app.backend.engine.store({ content: 'b', level: 4, title: 'Four' }, OWNER);
  await app.open();
  await page.setViewportSize(MIN_WINDOW);
  await page.getByRole('button', { name: 'Lockdown', exact: true }).click();
  const lift = page.getByRole('button', { name: 'Lift lockdown…' });
  await expect(lift).toBeVisible();
  const box = await lift.boundingBox();
  expect(box).not.toBeNull();
  expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(MIN_WINDOW.width);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(MIN_WINDOW.width);
  // Every section stays reachable in the side nav.
  for (const name of ['Memories', 'Audit log', 'Agents', 'Settings']) {
    await expect(page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name, exact: true })).toBeInViewport();
  }

  const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  await page.emulateMedia({ colorScheme: 'light' });
  const light = await background();
  const light3 = await colours(page, '.level-3');
  const light4 = await colours(page, '.level-4');
  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await background();
  const dark3 = await colours(page, '.level-3');
  const dark4 = await colours(page, '.level-4');
  await page.emulateMedia({ colorScheme: 'light' });
  expect(dark).not.toBe(light);
  expect(dark).toBe('rgb(15, 23, 42)');
  // A real margin, not two oranges a few units apart (they were #92400e/#9a3412 on near-equal creams).
  for (const [three, four] of [
    [light3, light4],
    [dark3, dark4],
  ] as const) {
    expect(distance(three.bg, four.bg)).toBeGreaterThan(120);
  }
  await checkScreen(page, 'header-lockdown-min-width');
});

test('a copied secret leaves the clipboard after the timeout; revealed content hides itself; errors say what to do', async ({ page }) => {
  app = await startVaultApp(page, { clipboardClearMs: 1500 });
  const secret = 'the deploy key is 1234-5678';
  await app.backend.engine.store({ content: secret, level: 1, title: 'Deploy note' }, OWNER);
  await app.backend.engine.store({ content: 'sealed', level: 3, title: 'Sealed note' }, OWNER);
  await page.clock.install();
  await app.open();

  // An error with its next step and its code.
  await page.getByRole('button', { name: /Sealed note/ }).click();
  await page.getByLabel('Passphrase (required for level 3)').fill('not the passphrase');
  await page.getByRole('button', { name: 'Reveal content' }).click();
  const error = page.getByRole('alert');
  await expect(error).toContainText('Check the passphrase, keyfile or TPM PIN and try again.');
  await expect(error).toContainText('BAD_CREDENTIALS');

  await page.getByRole('button', { name: /Deploy note/ }).click();
  await page.getByRole('button', { name: 'Reveal content' }).click();
  await expect(page.getByTestId('revealed-content')).toHaveText(secret);
  await expect(page.getByTestId('reveal-hides-in')).toContainText('Hides in 1:00');
  await page.getByRole('button', { name: 'Copy', exact: true }).click();
  await expect(page.getByTestId('clipboard-status')).toContainText('Copied. The clipboard is cleared in');
  expect(app.backend.clipboard.port.readText()).toBe(secret);
  await checkScreen(page, 'revealed-content');
  // Main clears it on its own timer (1.5 s here, 30 s by default): no window involvement needed.
  await expect.poll(() => app.backend.clipboard.port.readText(), { timeout: 5_000 }).toBe('');

  await page.clock.fastForward(61_000);
  await expect(page.getByTestId('revealed-content')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Reveal content' })).toBeVisible();
});
