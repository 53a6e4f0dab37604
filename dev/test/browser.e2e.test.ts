/**
 * The UI through the whole dev stack in headless Chromium: the page and its assets under /ui/ (the gateway
 * rewrites /ui to /), sign-in at /auth against the Entra stand-in's sign-in page, and a tool called through the
 * generated form on every running MCP server, each call going browser → UI server → gateway (JWT) → server.
 * Screenshots go to test-artifacts/e2e/. Like the UI's own browser tests, these fail in CI without Chromium.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { chromiumAvailable, launchBrowser } from '../../apps/mcp-ui/test/support/browser.ts';
import { DEV_USER } from '../entra-stand-in.ts';
import { STAND_IN_USERS } from '../entra-users.ts';
import type { Stack } from '../stack.ts';
import { repoRoot, startDevStack } from './support.ts';

const artifacts = path.join(repoRoot, 'test-artifacts/e2e');
const enabled = chromiumAvailable();

describe('the UI behind the gateway', () => {
  let stack: Stack;
  beforeAll(async () => {
    ({ stack } = await startDevStack());
  });
  afterAll(() => stack?.close());

  it('serves the page at /ui/ and every asset it references resolves under /ui/', async () => {
    const page = await fetch(new URL('/ui/', stack.gateway.url));
    expect(page.status).toBe(200);
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!).filter((url) => url.startsWith('/'));
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      expect(asset.startsWith('/ui/'), asset).toBe(true);
      const response = await fetch(new URL(asset, stack.gateway.url));
      expect(response.status, asset).toBe(200);
    }
  });

  describe.skipIf(!enabled)('in Chromium', () => {
    let browser: { context: BrowserContext; close(): Promise<void> };
    let page: Page;
    const shot = (name: string) => page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });

    beforeAll(async () => {
      mkdirSync(artifacts, { recursive: true });
      browser = await launchBrowser();
      page = await browser.context.newPage();
    });
    afterAll(() => browser?.close());

    it('signs in at /auth through the Entra stand-in', async () => {
      await page.goto(new URL('/ui/', stack.gateway.url).href);
      await page.getByRole('link', { name: 'Sign in' }).click();
      expect(new URL(page.url()).origin).toBe(stack.entra.url.origin);
      await page.getByRole('button', { name: `Sign in as ${DEV_USER.name}` }).click();
      await page.getByText(`Signed in as ${DEV_USER.name}`).waitFor();
      expect(new URL(page.url()).pathname).toBe('/ui/');
      await shot('01-signed-in');
    });

    async function callTool(server: string, toolTitle: RegExp, toolName: string, fill?: () => Promise<void>) {
      const back = page.getByRole('link', { name: /All servers/ });
      if (await back.isVisible()) await back.click();
      await page.getByRole('button', { name: `Open ${server}` }).click();
      await page.getByRole('button', { name: toolTitle }).click();
      await fill?.();
      await page.getByRole('button', { name: `Call ${toolName}` }).click();
      const outcome = page.locator('.outcome .result-ok, .outcome .result-error').first();
      await outcome.waitFor();
      return { ok: (await outcome.getAttribute('class'))!.includes('result-ok'), text: (await outcome.textContent()) ?? '' };
    }

    it('calls a tool on mcp-example', async () => {
      const result = await callTool('mcp-example', /Add two numbers/, 'add', async () => {
        await page.getByLabel(/^a/).fill('2');
        await page.getByLabel(/^b/).fill('40');
      });
      expect(result).toEqual({ ok: true, text: expect.stringContaining('42') });
      await shot('02-mcp-example');
    });

    it('calls a tool on mcp-hubspot (against the HubSpot stand-in)', async () => {
      const result = await callTool('mcp-hubspot', /List owners/, 'list_owners');
      expect(result.ok, result.text).toBe(true);
      expect(stack.hubspot.requests.some((r) => r.path.includes('/owners'))).toBe(true);
      await shot('03-mcp-hubspot');
    });

    it('calls a tool on mcp-mssql and shows its error: no SQL Server is configured here', async () => {
      const result = await callTool('mcp-mssql', /^List schemas/, 'list_schemas');
      expect(result.ok).toBe(false);
      expect(result.text).toContain('no SQL Server is configured');
      await shot('04-mcp-mssql');
    });

    it("shows a HubSpot reader only the tools her role opens, and what would open the server she may not use", async () => {
      const grace = STAND_IN_USERS.find((u) => u.id === 'grace')!;
      const other = await launchBrowser();
      try {
        const readerPage = await other.context.newPage();
        await readerPage.goto(new URL('/ui/', stack.gateway.url).href);
        await readerPage.getByRole('link', { name: 'Sign in' }).click();
        await readerPage.getByRole('button', { name: `Sign in as ${grace.name}` }).click();
        await readerPage.getByText(`Signed in as ${grace.name}`).waitFor();
        const mssql = readerPage.locator('.card', { hasText: 'mcp-mssql' });
        await mssql.getByText('Opens with the app role SQL.Read.').waitFor();
        expect(await mssql.textContent()).toContain('refused your sign-in');
        await readerPage.getByRole('button', { name: 'Open mcp-hubspot' }).click();
        await readerPage.getByRole('button', { name: /List owners/ }).waitFor();
        expect(await readerPage.getByRole('button', { name: /Create a CRM record|Update a CRM record/ }).count()).toBe(0);
        await readerPage.screenshot({ path: path.join(artifacts, '05-hubspot-reader.png'), fullPage: true });
      } finally {
        await other.close();
      }
    });
  });
});
