/** Vitest settings for `npm run test:slow`: long property runs and multi-round simulations. */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.slow.test.ts'],
    exclude: ['node_modules/**'],
    testTimeout: 600_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
