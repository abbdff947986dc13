// Layering is enforced here, not by hope: arrows point inward only.
//   renderer -> shared <- preload ; main -> node -> core ; cli -> node -> core ; main, cli -> shared
// Only src/main and src/preload may import `electron`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const electron = { name: 'electron', message: 'Only src/main and src/preload may import electron.' };
const ui = ['react', 'react-dom', 'react-dom/client', '@tanstack/react-query', '@tanstack/react-virtual'];
const uiPaths = ui.map((name) => ({ name, message: 'UI libraries belong to src/renderer only.' }));
const netModules = ['net', 'node:net', 'http', 'node:http', 'https', 'node:https', 'dgram', 'node:dgram', 'tls', 'node:tls'].map(
  (name) => ({ name, message: 'The vault core knows nothing of sockets; put transports in src/node.' }),
);
const layer = (dirs, message) => ({ group: dirs.flatMap((d) => [`**/${d}/**`, `**/${d}`]), message });

/** @type {Record<string, { paths: object[]; patterns: object[] }>} */
const rules = {
  core: {
    paths: [electron, ...uiPaths, ...netModules,
      { name: 'better-sqlite3-multiple-ciphers', message: 'Storage adapters live in src/node.' },
      { name: 'commander', message: 'CLI parsing lives in src/cli.' },
      { name: 'node-hid', message: 'Hardware drivers live in src/node.' },
      { name: 'execa', message: 'Process spawning lives in src/node.' }],
    patterns: [layer(['node', 'cli', 'main', 'preload', 'renderer', 'bench'], 'src/core imports nothing from outer layers.')],
  },
  node: {
    paths: [electron, ...uiPaths, { name: 'commander', message: 'CLI parsing lives in src/cli.' }],
    patterns: [layer(['cli', 'main', 'preload', 'renderer', 'bench'], 'src/node may import only core and shared.')],
  },
  shared: {
    paths: [electron, ...uiPaths],
    patterns: [layer(['node', 'cli', 'main', 'preload', 'renderer', 'bench'], 'src/shared holds contracts only.'),
      { group: ['node:*'], message: 'Contracts must run in the renderer too: no Node built-ins.' }],
  },
  cli: {
    paths: [electron, ...uiPaths],
    patterns: [layer(['main', 'preload', 'renderer'], 'The CLI builds on core, node and shared only.')],
  },
  bench: {
    paths: [electron, ...uiPaths],
    patterns: [layer(['main', 'preload', 'renderer'], 'Benchmarks build on core, node and shared only.')],
  },
  main: {
    paths: [...uiPaths],
    patterns: [layer(['renderer', 'preload', 'cli'], 'The Electron main process composes core, node and shared.')],
  },
  preload: {
    paths: [...uiPaths],
    patterns: [layer(['core', 'node', 'cli', 'main', 'renderer'], 'A preload exposes verbs over shared contracts only.')],
  },
  renderer: {
    paths: [electron],
    patterns: [layer(['core', 'node', 'cli', 'main', 'preload'], 'The renderer talks to the vault only through window.vault.'),
      { group: ['node:*'], message: 'The renderer is sandboxed: no Node built-ins.' }],
  },
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
      'no-restricted-syntax': ['error',
        { selector: "CallExpression[callee.property.name='only'][callee.object.name=/^(it|test|describe)$/]", message: 'No focused tests.' }],
    },
  },
  ...Object.entries(rules).map(([dir, r]) => ({
    files: [`src/${dir}/**/*.ts`, `src/${dir}/**/*.tsx`],
    rules: { 'no-restricted-imports': ['error', { paths: r.paths, patterns: r.patterns }] },
  })),
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
