import { build } from 'vite';
import { fileURLToPath } from 'node:url';

/** Builds the page once per test run, so the server and browser tests never serve a stale dist/. */
export default async function setup(): Promise<void> {
  await build({
    configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)),
    logLevel: 'warn',
  });
}
