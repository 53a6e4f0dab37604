import { defineConfig } from 'vitest/config';

// One run for the whole repository: the generators, the GitOps scripts, the dev stack and every workspace
// package are projects, each with its own vitest.config.ts.
export default defineConfig({
  test: {
    projects: ['generators/vitest.config.ts', 'scripts/vitest.config.ts', 'dev/vitest.config.ts', 'packages/*/vitest.config.ts', 'apps/*/vitest.config.ts'],
  },
});
