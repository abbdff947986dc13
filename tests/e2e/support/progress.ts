// Records every operations:progress event the page receives through window.vault (the same bridge
// the screens use), so a test can show a bar advanced without looking at a clock.
import type { Page } from '@playwright/test';
import type { OperationProgressDto } from '../../../src/shared/progress.contract.js';

interface ProgressWindow {
  vault: { onOperationProgress(cb: (p: OperationProgressDto) => void): () => void };
  __progress?: OperationProgressDto[];
}

/** Start recording (after app.open()); the returned function reads what arrived for `operation`. */
export async function recordProgress(
  page: Page,
): Promise<(operation: OperationProgressDto['operation']) => Promise<OperationProgressDto[]>> {
  await page.evaluate(() => {
    const w = window as unknown as ProgressWindow;
    w.__progress = [];
    w.vault.onOperationProgress((p) => w.__progress?.push(p));
  });
  return (operation) =>
    page.evaluate((op) => ((window as unknown as ProgressWindow).__progress ?? []).filter((p) => p.operation === op), operation);
}

/** Fractions seen, in order: starts at 0, never goes back, ends at 1 with phase 'done'. */
export function fractions(events: readonly OperationProgressDto[]): number[] {
  return events.map((p) => (p.total > 0 ? p.done / p.total : 0));
}
