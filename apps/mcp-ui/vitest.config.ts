import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'mcp-ui',
    include: ['test/**/*.test.ts'],
    // Builds the page once per run (vite build) so browser tests never see a stale dist/.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
