// Per-screen checks: for the light and the dark colour scheme, an axe scan (no serious or
// critical violations) and screenshots saved under test-results/screens/ — at the page's own
// viewport and at the window's minimum width (src/main/window/window-options.ts).
import { AxeBuilder } from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { join } from 'node:path';
import { ROOT } from './vault-app.js';

/** The desktop window's minimum size (kept equal to window-options.ts minWidth / minHeight). */
export const MIN_WINDOW = { width: 820, height: 560 } as const;

async function axeClean(page: Page, label: string): Promise<void> {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(bad, `axe violations on ${label}`).toEqual([]);
}

export async function checkScreen(page: Page, name: string): Promise<void> {
  const viewport = page.viewportSize();
  try {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: join(ROOT, 'test-results', 'screens', `${name}.${scheme}.png`), fullPage: true });
      await axeClean(page, `${name} (${scheme})`);
      await page.setViewportSize(MIN_WINDOW);
      await page.screenshot({ path: join(ROOT, 'test-results', 'screens', `${name}.${scheme}.min-width.png`), fullPage: true });
      if (viewport) await page.setViewportSize(viewport);
    }
  } finally {
    await page.emulateMedia({ colorScheme: 'light' });
    if (viewport) await page.setViewportSize(viewport);
  }
}
