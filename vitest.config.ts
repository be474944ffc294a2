import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**', 'dist/**'],
    testTimeout: 20_000,
    pool: 'forks',
    globalSetup: ['test/support/kwok-global-setup.ts', 'test/support/moto-global-setup.ts'],
  },
});
