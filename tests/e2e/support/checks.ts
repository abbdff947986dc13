// Per-screen checks: an axe scan (no serious or critical violations) and a screenshot saved
// under test-results/screens/.
import { AxeBuilder } from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { join } from 'node:path';
import { ROOT } from './vault-app.js';

export async function checkScreen(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ROOT, 'test-results', 'screens', `${name}.png`), fullPage: true });
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(bad, `axe violations on ${name}`).toEqual([]);
}
