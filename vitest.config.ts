import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    benchmark: { include: ['test/**/*.bench.ts'] },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Suites share one Redis; each uses its own key prefix, so files can run in parallel.
    pool: 'forks',
  },
});
