#!/usr/bin/env node
// `npm test`: build, type-check, lint, unit + integration (vitest), UI (Playwright).
// Every stage counts; the last line is the total over every suite: "N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { ensureSystemPackages } from './system-deps.mjs';

const totals = { passed: 0, failed: 0, skipped: 0 };
const lines = [];
mkdirSync('test-results', { recursive: true });

function stage(name, cmd, args, env = {}) {
  process.stdout.write(`\n=== ${name}: ${[cmd, ...args].join(' ')}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === 0;
}

function countCheck(name, ok) {
  if (ok) totals.passed++;
  else totals.failed++;
  lines.push(`${name}: ${ok ? 'ok' : 'FAILED'}`);
}

// 0. System packages (swtpm, chromium, Go, age…): installed here when we may, else stop at once
// with the one command to run — a missing package would otherwise fail suites one by one.
if (!ensureSystemPackages()) {
  writeFileSync('test-results/summary.txt', 'system packages: missing\n0 passed, 1 failed, 0 skipped\n');
  process.stdout.write('system packages: missing\n0 passed, 1 failed, 0 skipped\n');
  process.exit(1);
}

// 1. Build the CLI for plain Node (CLI tests spawn it).
countCheck('build', stage('build', 'npx', ['tsc', '-p', 'tsconfig.node.json']));
// 2. Type-check everything else (tests, renderer, electron shell).
const hasSources = (dir) => existsSync(dir) && readdirSync(dir, { recursive: true }).some((f) => /\.tsx?$/.test(String(f)));
const typecheckTargets = { 'tsconfig.json': 'src', 'tsconfig.web.json': 'src/renderer', 'tsconfig.electron.json': 'src/main' };
for (const [cfg, dir] of Object.entries(typecheckTargets)) {
  if (existsSync(cfg) && hasSources(dir)) countCheck(`typecheck ${cfg}`, stage(`typecheck ${cfg}`, 'npx', ['tsc', '-p', cfg, '--noEmit']));
}
// 3. Lint (`npm run lint`): ESLint with the import-layering rule, then the import-cycle check.
countCheck('lint', stage('lint', 'npm', ['run', 'lint']));

// 4. vitest: unit, property, integration, security, CLI.
const vitestJson = 'test-results/vitest.json';
rmSync(vitestJson, { force: true });
const vitestOk = stage('vitest', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
if (existsSync(vitestJson)) {
  const r = JSON.parse(readFileSync(vitestJson, 'utf8'));
  totals.passed += r.numPassedTests ?? 0;
  totals.failed += (r.numFailedTests ?? 0) + (r.numRuntimeErrorTestSuites ?? 0);
  totals.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  if (!vitestOk && (r.numFailedTests ?? 0) === 0 && (r.numRuntimeErrorTestSuites ?? 0) === 0) totals.failed++;
  lines.push(`vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
} else {
  totals.failed++;
  lines.push('vitest: no report written');
}

// 5. Playwright UI tests (renderer in Debian's Chromium; Electron project skips with a reason).
if (existsSync('playwright.config.ts') && existsSync('tests/e2e')) {
  const pwJson = 'test-results/playwright.json';
  rmSync(pwJson, { force: true });
  const ok = stage('playwright', 'npx', ['playwright', 'test'], { PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson });
  if (existsSync(pwJson)) {
    const r = JSON.parse(readFileSync(pwJson, 'utf8'));
    const s = r.stats ?? {};
    totals.passed += (s.expected ?? 0) + (s.flaky ?? 0);
    totals.failed += s.unexpected ?? 0;
    totals.skipped += s.skipped ?? 0;
    if (!ok && (s.unexpected ?? 0) === 0) totals.failed++;
    lines.push(`playwright: ${s.expected ?? 0} passed, ${s.unexpected ?? 0} failed, ${s.skipped ?? 0} skipped`);
  } else {
    totals.failed++;
    lines.push('playwright: no report written');
  }
}

const summary = `${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`;
writeFileSync('test-results/summary.txt', `${lines.join('\n')}\n${summary}\n`);
process.stdout.write(`\n${lines.join('\n')}\n${summary}\n`);
process.exit(totals.failed === 0 ? 0 : 1);
