import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'scripts',
    include: ['test/**/*.test.ts'],
    // Tests spawn kubectl kustomize and git; a cold kubectl on 2 busy cores takes seconds.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
