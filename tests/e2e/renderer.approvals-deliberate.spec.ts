// Issue 13 deliverable 2 in the real renderer: decisions are deliberate. Real agents ask over the
// vault socket; the page's window.vault reaches the real main-process handlers. A double click on
// Approve approves exactly the request the owner saw; a dialog that switched to the next request
// (after a decision or an expiry) ignores Approve for the arming interval; Deny has the focus.
// Nothing here asserts a duration: the one use of time is that a click made the instant the switch
// is seen (from inside the page) falls within the arming interval; state is read from the backend.
import { expect, test, type Page } from '@playwright/test';
import { checkScreen } from './support/checks.js';
import { agentRecall, startVaultApp, type AgentSpec, type RecallOutcome, type VaultApp } from './support/vault-app.js';

let app: VaultApp;
test.afterEach(async () => app?.close());

const opsAgent: AgentSpec = { name: 'Ops Agent', maxLevel: 3 };

async function sealed(a: VaultApp, title: string, content: string) {
  return a.backend.engine.store({ content, level: 3, title, namespace: 'infra' }, { kind: 'owner', channel: 'desktop' });
}

/** An agent recall whose outcome can be asked "settled yet?" without waiting for it. */
function tracked(p: Promise<RecallOutcome>): { outcome: Promise<RecallOutcome>; settled: () => boolean } {
  let done = false;
  const outcome = p.finally(() => (done = true));
  return { outcome, settled: () => done };
}

/** Titles of the requests the backend holds pending, oldest first. */
function pendingTitles(a: VaultApp): string[] {
  return a.backend
    .pendingApprovals()
    .toSorted((x, y) => x.createdAt - y.createdAt)
    .map((v) => v.memory.title);
}

/**
 * Inside the page: as soon as the dialog shows the "Next request" banner, click Approve (once)
 * and report whether Approve was marked disarmed at that moment. Runs in the page so the click
 * follows the switch by one DOM mutation, not by a test-runner polling interval.
 */
function clickApproveWhenSwitched(page: Page): Promise<{ ariaDisabled: string | null; hint: boolean }> {
  return page.evaluate(
    () =>
      new Promise<{ ariaDisabled: string | null; hint: boolean }>((resolve) => {
        const tryClick = (): boolean => {
          const dialog = document.querySelector('[role="alertdialog"]');
          if (!dialog?.querySelector('[data-testid="approval-next-banner"]')) return false;
          const approve = [...dialog.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Approve');
          if (!approve) return false;
          const seen = {
            ariaDisabled: approve.getAttribute('aria-disabled'),
            hint: dialog.querySelector('[data-testid="approval-arming-hint"]') !== null,
          };
          approve.click();
          resolve(seen);
          return true;
        };
        if (tryClick()) return;
        const observer = new MutationObserver(() => {
          if (tryClick()) observer.disconnect();
        });
        observer.observe(document.body, { childList: true, subtree: true });
      }),
  );
}

test('a double click on Approve approves exactly one of three queued requests from two agents', async ({ page }) => {
  app = await startVaultApp(page);
  const alpha = await sealed(app, 'Alpha secret', 'alpha');
  const beta = await sealed(app, 'Beta secret', 'beta');
  const gamma = await sealed(app, 'Gamma secret', 'gamma');
  await app.open();
  const dialog = page.getByRole('alertdialog');
  const approve = dialog.getByRole('button', { name: 'Approve' });
  const deny = dialog.getByRole('button', { name: 'Deny' });

  const r1 = tracked(agentRecall(app, alpha.id, 'first, from the research bot'));
  await expect(dialog.getByTestId('approval-memory-title')).toHaveText('Alpha secret');
  const r2 = tracked(agentRecall(app, beta.id, 'second, from the ops agent', opsAgent));
  await expect(dialog.getByText('Request 1 of 2')).toBeVisible();
  const r3 = tracked(agentRecall(app, gamma.id, 'third, research bot again'));
  await expect(dialog.getByText('Request 1 of 3')).toBeVisible();
  expect(pendingTitles(app)).toEqual(['Alpha secret', 'Beta secret', 'Gamma secret']);

  await expect(deny).toBeFocused();
  await expect(dialog.getByTestId('approval-agent')).toHaveText('Research Bot');
  // The owner reads the first request; Approve arms (a functional wait for the attribute).
  await expect(approve).toHaveAttribute('aria-disabled', 'false');
  await checkScreen(page, 'approval-deliberate-head');

  // Two real mouse clicks at the same spot, ~120 ms apart: the second lands on whatever is there
  // by then (the first dialog while busy, or the next dialog). And, to be sure a click does reach
  // the next dialog's Approve, one more fires from inside the page the instant it switches.
  const clickedNext = clickApproveWhenSwitched(page);
  const box = await approve.boundingBox();
  if (!box) throw new Error('Approve has no box');
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.click(x, y);
  await page.waitForTimeout(120);
  await page.mouse.click(x, y);

  expect(await r1.outcome).toEqual({ ok: true, content: 'alpha' });
  expect(await clickedNext).toEqual({ ariaDisabled: 'true', hint: true });
  // The next request is announced, with Deny focused and Approve not yet live.
  await expect(dialog.getByTestId('approval-next-banner')).toContainText('Next request');
  await expect(dialog.getByTestId('approval-next-banner')).toContainText('Ops Agent');
  await expect(dialog.getByTestId('approval-agent')).toHaveText('Ops Agent');
  await expect(dialog.getByTestId('approval-memory-title')).toHaveText('Beta secret');
  await expect(dialog.getByText('Request 1 of 2')).toBeVisible();
  await expect(deny).toBeFocused();
  await checkScreen(page, 'approval-deliberate-next');
  // Once Approve has armed, any decision the second click could have caused has long arrived.
  await expect(approve).toHaveAttribute('aria-disabled', 'false');
  expect(pendingTitles(app)).toEqual(['Beta secret', 'Gamma secret']);
  expect(r2.settled()).toBe(false);
  expect(r3.settled()).toBe(false);

  // Deny is the keyboard default: Enter with the initial focus denies the ops agent.
  await page.keyboard.press('Enter');
  expect(await r2.outcome).toEqual({ ok: false, code: 'APPROVAL_DENIED' });
  await expect(dialog.getByTestId('approval-memory-title')).toHaveText('Gamma secret');
  await expect(deny).toBeFocused();
  await page.keyboard.press('Escape');
  expect(await r3.outcome).toEqual({ ok: false, code: 'APPROVAL_DENIED' });
  await expect(dialog).toBeHidden();
});

test('after the head request expires, the next one cannot be approved within the arming interval', async ({ page }) => {
  // Each request lives 4 s; the second is asked 2 s after the first, so it is still pending for
  // a while once the first has expired and the dialog has switched to it.
  app = await startVaultApp(page, { approvalTimeoutMs: 4_000 });
  const alpha = await sealed(app, 'Alpha secret', 'alpha');
  const beta = await sealed(app, 'Beta secret', 'beta');
  await app.open();
  const dialog = page.getByRole('alertdialog');
  const deny = dialog.getByRole('button', { name: 'Deny' });

  const r1 = tracked(agentRecall(app, alpha.id, 'nobody will answer this one'));
  await expect(dialog.getByTestId('approval-memory-title')).toHaveText('Alpha secret');
  await expect(deny).toBeFocused();
  await page.waitForTimeout(2_000); // spacing between the two requests, not a measurement
  const r2 = tracked(agentRecall(app, beta.id, 'asked later, by the ops agent', opsAgent));
  await expect(dialog.getByText('Request 1 of 2')).toBeVisible();

  // Armed now, on the first request; the click is set up to fire the instant the dialog switches.
  const clicked = clickApproveWhenSwitched(page);
  expect(await r1.outcome).toEqual({ ok: false, code: 'APPROVAL_EXPIRED' });
  const seen = await clicked;
  // At the moment of the click, Approve was visibly disarmed…
  expect(seen).toEqual({ ariaDisabled: 'true', hint: true });
  await expect(dialog.getByTestId('approval-next-banner')).toContainText('Ops Agent');
  await expect(deny).toBeFocused();
  // …and the click did nothing: the request is still pending in the backend and the agent waits.
  expect(pendingTitles(app)).toEqual(['Beta secret']);
  expect(r2.settled()).toBe(false);
  await checkScreen(page, 'approval-deliberate-after-expiry');
  // Nobody decides: it ends expired, never approved.
  expect(await r2.outcome).toEqual({ ok: false, code: 'APPROVAL_EXPIRED' });
  await expect(dialog).toBeHidden();
});

test("the agent's words are shown as data, in their own labelled area, apart from the vault's facts", async ({ page }) => {
  app = await startVaultApp(page);
  const m = await app.backend.engine.store(
    { content: 'launch', level: 3, title: 'l3 sealed launch codes', tags: ['ops'], metadata: { team: 'red' } },
    { kind: 'owner', channel: 'desktop' },
  );
  await app.open();
  // Cursor-up + clear-screen, a clipboard-write OSC 52 and a right-to-left override.
  const r = tracked(agentRecall(app, m.id, 'harmless\u001b[1A\u001b[2J\u001b]52;c;ZXZpbA==\u0007 lookup \u202eexe.txt'));
  const dialog = page.getByRole('alertdialog');
  const words = dialog.getByRole('region', { name: 'Written by the agent' });
  await expect(words).toBeVisible();
  await expect(words.getByTestId('approval-justification')).toHaveText(
    'harmless\\x1b[1A\\x1b[2J\\x1b]52;c;ZXZpbA==\\x07 lookup \\u202eexe.txt',
  );
  await expect(words.getByTestId('approval-memory-title')).toHaveText('l3 sealed launch codes');
  await expect(words.getByTestId('approval-tags')).toHaveText('ops');
  await expect(words.getByTestId('approval-metadata')).toHaveText('team=red');
  // The vault's own facts are outside that area.
  const facts = dialog.getByRole('region', { name: 'Checked by the vault' });
  await expect(facts.getByText('L3 · Sealed')).toBeVisible();
  await expect(facts.getByTestId('approval-countdown')).toContainText('Expires in');
  await expect(words.getByText('L3 · Sealed')).toHaveCount(0);
  const raw = await words.evaluate((el) => el.textContent ?? '');
  expect([...raw].filter((c) => c === '\u001b' || c === '\u202e' || c === '\u0007')).toEqual([]);
  await checkScreen(page, 'approval-agent-words');
  await page.keyboard.press('Escape');
  expect(await r.outcome).toEqual({ ok: false, code: 'APPROVAL_DENIED' });
});
