import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'tool-lock',
    include: ['test/**/*.test.ts'],
  },
});
