import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'mcp-runtime',
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
