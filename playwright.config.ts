// UI tests. `renderer-chromium` runs the built renderer in Debian's Chromium with window.vault
// made by the real bridge factory over page.exposeBinding, wired to the real main-process
// handlers and a real vault. `electron-app` drives the packaged app when an Electron binary exists.
import { defineConfig } from '@playwright/test';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

export default defineConfig({
  testDir: 'tests/e2e',
  globalSetup: './tests/e2e/global-setup.ts',
  // Not test-results/ itself: Playwright empties its outputDir, and other suites write there.
  outputDir: 'test-results/playwright-artifacts',
  reporter: [['list'], ['json']],
  workers: 2,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  forbidOnly: true,
  retries: 0,
  projects: [
    {
      name: 'renderer-chromium',
      testMatch: /renderer\..*\.spec\.ts$/,
      use: {
        browserName: 'chromium',
        launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS },
        viewport: { width: 1280, height: 820 },
        trace: 'off',
        screenshot: 'only-on-failure',
      },
    },
    { name: 'electron-app', testMatch: /electron-app\.spec\.ts$/ },
  ],
});
