// Keeps `npm run bench` working: its --quick mode runs here and must print every target row.
// (Figures are printed, never asserted: timing belongs to the benchmark, not to tests.)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readReport } from '../../src/bench/bench-compare.js';

describe('npm run bench -- --quick', () => {
  it('runs both benchmark programs and prints every target row', () => {
    if (!existsSync('dist/bench/all.js')) throw new Error('dist/ is missing: run `npm run build:node` first (npm test does)');
    const out = mkdtempSync(join(tmpdir(), 'mv-bench-smoke-'));
    try {
      const r = spawnSync(process.execPath, ['dist/bench/all.js', '--quick', '--out', join(out, 'report.json')], {
        encoding: 'utf8',
        timeout: 600_000,
      });
      process.stdout.write(r.stdout);
      expect(r.status).toBe(0);
      for (const row of [
        'store/s, sequential',
        'store/s, batched',
        'recall/s L1',
        'search p95',
        'unlock, default KDF',
        'audit append/s',
        'inclusion + consistency proof',
        'full verify',
        'socket L1 recall p50',
        'socket audited recalls/s',
        'backup of a',
        'restore of a',
        'mixed L1 recall p99, owner wrong passphrase',
        'mixed L1 recall p99, owner audit verify',
        'mixed L1 recall p99, owner full backup',
        'serve RSS, logged-in idle',
        'ceiling: empty encrypted tx/s',
        'as share of empty-tx ceiling',
        'socket L1 recall p99, 1 client',
        'serve RSS, 100 agents connected and recalling, peak',
        'serve RSS as `memory-vault status` states it',
      ]) {
        expect(r.stdout, row).toContain(row);
      }
      // Issue 17 item 4: one merged report whose figures keep their same-run ceiling and ratio,
      // and which --compare reads back (here against itself: nothing changed).
      const report = readReport(join(out, 'report.json'));
      const store = report.parts.engine?.figures?.find((f) => f.id === 'store.sequential@1000');
      expect(store?.ceiling).toBeGreaterThan(0);
      expect(store?.ratio).toBeCloseTo((store?.value ?? 0) / (store?.ceiling ?? 1), 9);
      expect(report.parts.logAndSocket?.figures?.find((f) => f.id === 'socket.p99')?.ratio).toBeGreaterThan(0);
      const cmp = spawnSync(
        process.execPath,
        ['dist/bench/all.js', '--compare', join(out, 'report.json'), '--report', join(out, 'report.json')],
        { encoding: 'utf8' },
      );
      expect(cmp.status).toBe(0);
      expect(cmp.stdout).toMatch(/0 better, 0 worse, \d+ within/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 620_000);
});
