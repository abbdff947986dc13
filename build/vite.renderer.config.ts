// Plain Vite build of the renderer alone into out/renderer (used by Playwright's globalSetup;
// the Electron app build is electron.vite.config.ts, which builds the same renderer).
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

export default defineConfig({
  root: resolve(root, 'src/renderer'),
  base: './',
  plugins: [react()],
  logLevel: 'error',
  build: {
    outDir: resolve(root, 'out/renderer'),
    emptyOutDir: true,
    target: 'chrome130',
    sourcemap: false,
    // No inline <script> or data: modules: the CSP forbids them.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
