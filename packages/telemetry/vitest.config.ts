import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'telemetry',
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
