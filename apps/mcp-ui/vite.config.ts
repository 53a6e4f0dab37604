import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';
import { initialJsSizePlugin } from './src/build/initial-js-size.ts';

// The page lives under /ui/ behind the gateway; its server gets the paths with /ui stripped.
export default defineConfig({
  root: fileURLToPath(new URL('./src/web/', import.meta.url)),
  base: '/ui/',
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('./dist/', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // The CSP forbids inline scripts: never inline the module preload polyfill.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
  plugins: [initialJsSizePlugin({ budgetBytes: 150 * 1024 })],
});
