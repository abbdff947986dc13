import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    exclude: ['tests/e2e/**', 'node_modules/**', 'dist/**'],
    // Argon2id and swtpm-backed tests are slow on 2 shared cores; timing is never asserted.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
