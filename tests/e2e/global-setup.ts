// Build what the UI tests load, so `npx playwright test` alone works: the renderer bundle
// (out/renderer) and the page-side bridge (out/e2e/page-bridge.js, the real createVaultBridge
// over a Playwright binding).
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { bundleSize, describeBundleSize } from './support/bundle-size.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

export default async function globalSetup(): Promise<void> {
  await build({ configFile: resolve(root, 'build/vite.renderer.config.ts'), logLevel: 'error' });
  console.log(describeBundleSize(bundleSize(resolve(root, 'out/renderer'))));
  await build({
    configFile: false,
    logLevel: 'error',
    build: {
      outDir: resolve(root, 'out/e2e'),
      emptyOutDir: true,
      minify: false,
      lib: {
        entry: resolve(root, 'tests/e2e/support/page-bridge.ts'),
        formats: ['iife'],
        name: 'memoryVaultPageBridge',
        fileName: () => 'page-bridge.js',
      },
    },
  });
}
