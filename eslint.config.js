// Layering is enforced here, not by hope: arrows point inward only.
//   renderer -> shared <- preload ; main -> node -> core ; cli -> node -> core ; main, cli -> shared
// Only src/main and src/preload may import `electron`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import localRules from './eslint/code-layering.js';

// Each layer states what it MAY import (VS Code's `local/code-layering`): which src layers, which
// Node built-ins, which packages. Anything not listed fails — including `import()`, `require`,
// bare built-ins (`'fs'` is `node:fs`) and package subpaths (`electron/main` is `electron`).
// The rule itself is eslint/code-layering.js; the cycle check is .dependency-cruiser.cjs.

/** Pure packages: computation only, no I/O, safe in the vault core. */
const pure = ['zod', 'canonicalize', 'cbor-x', '@noble/*', 'libsodium-wrappers-sumo'];
const ui = ['react', 'react-dom', '@tanstack/react-query', '@tanstack/react-virtual'];

const layers = {
  // The common layer runs everywhere (renderer included, through src/shared): nothing environment-specific.
  'core/common': {
    dir: 'src/core/common',
    layers: ['core/common'],
    builtins: [],
    packages: ['zod'],
    message: 'src/core/common is imported by the renderer through src/shared: no Node, no other core module.',
  },
  core: {
    // node:path only for its pure string functions (posix.normalize of an allowlisted path); no I/O.
    dir: 'src/core',
    layers: ['core', 'core/common'],
    builtins: ['node:crypto', 'node:path'],
    packages: pure,
    message: 'The vault core knows nothing of Electron, React, sockets, files, processes, threads or the CLI; put adapters in src/node.',
  },
  node: {
    dir: 'src/node',
    layers: ['node', 'core', 'core/common', 'shared'],
    builtins: [
      'node:buffer',
      'node:child_process',
      'node:crypto',
      'node:events',
      'node:fs',
      'node:module',
      'node:net',
      'node:os',
      'node:path',
      'node:stream',
      'node:timers',
      'node:url',
      'node:util',
      'node:worker_threads',
    ],
    packages: [
      ...pure,
      'better-sqlite3-multiple-ciphers',
      'age-encryption',
      '@simplewebauthn/server',
      '@serenity-kit/opaque',
      'shamir-secret-sharing',
      'pino',
      'node-hid',
      'execa',
      '@modelcontextprotocol/sdk',
      // Loaded on demand only when the Argon2 worker runs from TypeScript sources (vitest); see argon2-worker-entry.ts.
      'esbuild',
    ],
    message: 'src/node builds on core and shared; it never reaches into cli, main, preload, renderer or bench.',
  },
  shared: {
    dir: 'src/shared',
    layers: ['shared', 'core/common'],
    builtins: [],
    packages: ['zod'],
    message: 'src/shared holds contracts that run in the renderer too: only src/core/common and zod.',
  },
  cli: {
    dir: 'src/cli',
    layers: ['cli', 'node', 'core', 'core/common', 'shared'],
    builtins: [
      'node:buffer',
      'node:crypto',
      'node:events',
      'node:fs',
      'node:os',
      'node:path',
      'node:process',
      'node:readline',
      'node:stream',
      'node:tty',
      'node:url',
      'node:util',
    ],
    packages: [...pure, 'commander'],
    message: 'The CLI builds on node, core and shared only.',
  },
  bench: {
    dir: 'src/bench',
    layers: ['bench', 'node', 'core', 'core/common', 'shared'],
    builtins: [
      'node:child_process',
      'node:crypto',
      'node:fs',
      'node:net',
      'node:os',
      'node:path',
      'node:perf_hooks',
      'node:url',
      'node:util',
      'node:worker_threads',
    ],
    packages: [...pure],
    message: 'Benchmarks build on node, core and shared; nothing but bench imports bench.',
  },
  main: {
    dir: 'src/main',
    layers: ['main', 'node', 'core', 'core/common', 'shared'],
    builtins: ['node:crypto', 'node:events', 'node:fs', 'node:os', 'node:path', 'node:url', 'node:util'],
    packages: ['electron', ...pure],
    message: 'The Electron main process composes node, core and shared.',
  },
  preload: {
    // A sandboxed preload gets electron's renderer-side modules only (`electron/main` would not load there).
    dir: 'src/preload',
    layers: ['preload', 'shared'],
    builtins: [],
    packages: ['electron$', 'electron/renderer', 'zod'],
    message: 'A sandboxed preload exposes verbs over shared contracts only.',
  },
  renderer: {
    dir: 'src/renderer',
    layers: ['renderer', 'shared'],
    builtins: [],
    packages: [...ui, 'zod'],
    message: 'The renderer is sandboxed and talks to the vault only through window.vault (src/shared contracts).',
  },
};

/** Tests beside the code may also use the test runner, property testing, test support and plain Node. */
const testAllow = {
  packages: ['vitest', 'fast-check'],
  builtins: [
    'node:child_process',
    'node:crypto',
    'node:fs',
    'node:net',
    'node:os',
    'node:path',
    'node:stream',
    'node:url',
    'node:worker_threads',
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'test-results/**', 'playwright-report/**', 'tests/lint/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='only'][callee.object.name=/^(it|test|describe)$/]",
          message: 'No focused tests.',
        },
      ],
    },
  },
  {
    files: ['src/**/*.{ts,tsx,mts,cts,js,mjs,cjs}'],
    plugins: { local: localRules },
    rules: { 'local/code-layering': ['error', { layers, testFiles: '\\.test\\.tsx?$', testAllow }] },
  },
  {
    // electron-builder loads its hooks with require(): CommonJS on purpose.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/renderer/**/*.ts', 'src/renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
