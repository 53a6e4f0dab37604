import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'token-refresh',
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
  },
});
