/**
 * Headless Chromium for the browser tests (playwright-core, the Debian package's binary). Without Chromium the
 * tests fail when CI is set and are skipped with a loud message otherwise.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const ARTIFACTS_DIR = fileURLToPath(new URL('../../../../test-artifacts/mcp-ui/', import.meta.url));

/** Whether the browser tests can run here; throws in CI when they cannot (they must never be skipped there). */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  const message = `Chromium not found at ${CHROMIUM_PATH} (set CHROMIUM_PATH or install the Debian package chromium)`;
  if (process.env.CI) throw new Error(`${message}: browser tests cannot be skipped in CI`);
  console.warn(`\n!!! SKIPPING mcp-ui browser tests: ${message} !!!\n`);
  return false;
}

/** A fresh browser profile per run. */
export async function launchBrowser(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  for (const file of readdirSync(ARTIFACTS_DIR)) if (file.startsWith('failed-')) rmSync(join(ARTIFACTS_DIR, file));
  const profile = mkdtempSync(join(tmpdir(), 'mcp-ui-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: 1280, height: 860 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
