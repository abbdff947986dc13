// The desktop app build: main (ESM, Node), preload (one CommonJS file — sandboxed preloads cannot
// load modules or ESM), renderer (the React app, same settings as build/vite.renderer.config.ts).
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {
    build: {
      // Node-side dependencies (better-sqlite3, libsodium, ...) load from node_modules at run time.
      externalizeDeps: true,
      outDir: 'out/main',
      rollupOptions: {
        // The Argon2id worker thread is its own entry: src/node/crypto/argon2-worker-entry.ts
        // starts out/main/argon2-worker.js from beside index.js (the owner's OPAQUE registration
        // it runs is a chunk it imports on demand, with @serenity-kit/opaque left external like
        // every dependency). esbuild is only for running
        // that module from TypeScript sources (tests); it is never bundled.
        // The vault worker (full audit verification, backup; src/node/workers/) likewise.
        input: {
          index: resolve('src/main/index.ts'),
          'argon2-worker': resolve('src/node/crypto/argon2-worker.ts'),
          'vault-worker': resolve('src/node/workers/vault-worker.ts'),
        },
        external: ['esbuild'],
        output: { format: 'es' },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can require only `electron`: zod and the contracts are bundled in.
      externalizeDeps: false,
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve('src/preload/index.preload.ts') },
        // Bundle zod and the shared contracts in: only `electron` stays external.
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs', inlineDynamicImports: true },
      },
    },
  },
  renderer: {
    root: 'src/renderer',
    base: './',
    plugins: [react()],
    build: {
      outDir: 'out/renderer',
      minify: 'esbuild',
      assetsInlineLimit: 0,
      modulePreload: { polyfill: false },
      rollupOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
  },
});
