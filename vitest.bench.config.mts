import { defineConfig } from 'vitest/config';

// `npm run bench`: the benchmarks use the same real embedded PostgreSQL set-up as the tests.
export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    hookTimeout: 300_000,
    benchmark: { include: ['test/bench/**/*.bench.ts'] },
  },
});
