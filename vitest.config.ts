import { defineConfig } from 'vitest/config';

// One run for the whole repository: the generators and every workspace package are projects.
export default defineConfig({
  test: {
    projects: ['generators', 'scripts', 'packages/*', 'apps/*', 'dev'],
  },
});
