/**
 * The UI through the whole dev stack in headless Chromium: the page and its assets under /ui/ (the gateway
 * rewrites /ui to /), sign-in at /auth against the Entra stand-in's sign-in page, and a tool called through the
 * generated form on every running MCP server, each call going browser → UI server → gateway (JWT) → server.
 * With the real servers: the catalog's readiness (mcp-mssql answers but is not ready: no SQL Server here) and
 * deployed versions, CRM search results as a table, the confirmation a destructive HubSpot call asks for, and
 * a server process killed (SIGKILL) in the middle of a long call: the call ends as failed with Retry, which
 * works once the stack has started the server again. Screenshots at 1280 and 360 px go to test-artifacts/e2e/.
 * Like the UI's own browser tests, these fail in CI without Chromium.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
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
    /** The same view at 1280 px (the whole page) and at 360 px (the screen a phone shows, scrolled to `focus`). */
    const shots = async (name: string, focus?: string) => {
      await shot(`${name}-1280`);
      await page.setViewportSize({ width: 360, height: 780 });
      if (focus) await page.locator(focus).first().evaluate((element) => element.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: path.join(artifacts, `${name}-360.png`) });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      await page.setViewportSize({ width: 1280, height: 860 });
      expect(overflow, `${name} scrolls sideways at 360 px`).toBeLessThanOrEqual(0);
    };
    const openServer = async (server: string) => {
      const back = page.getByRole('link', { name: /All servers/ });
      if (await back.isVisible()) await back.click();
      await page.getByRole('button', { name: `Open ${server}` }).click();
      await page.locator('#server-title').getByText(server).waitFor();
    };

    beforeAll(async () => {
      mkdirSync(artifacts, { recursive: true });
      browser = await launchBrowser();
      page = await browser.context.newPage();
    });
    afterAll(() => browser?.close());
    afterEach(async (ctx) => {
      if (ctx.task.result?.state === 'fail' && page) {
        await shot(`failed-${ctx.task.name.replace(/[^a-z0-9]+/gi, '-')}`).catch(() => {});
        console.error(`page at ${page.url()}:\n${(await page.locator('body').innerText().catch(() => '')).slice(0, 2000)}`);
      }
    });

    it('signs in at /auth through the Entra stand-in', async () => {
      await page.goto(new URL('/ui/', stack.gateway.url).href);
      await page.getByRole('link', { name: 'Sign in' }).click();
      expect(new URL(page.url()).origin).toBe(stack.entra.url.origin);
      await page.getByRole('button', { name: `Sign in as ${DEV_USER.name}` }).click();
      await page.getByText(`Signed in as ${DEV_USER.name}`).waitFor();
      expect(new URL(page.url()).pathname).toBe('/ui/');
      await shot('01-signed-in');
    });

    it('shows each server ready, not ready with its reason, and the version the registry deploys', async () => {
      const card = (name: string) => page.locator('.card', { hasText: name });
      await card('mcp-example').getByText('ready', { exact: true }).waitFor();
      await card('mcp-hubspot').getByText('ready', { exact: true }).waitFor();
      await card('mcp-mssql').getByText('not ready', { exact: true }).waitFor();
      expect(await card('mcp-mssql').textContent()).toContain('mcp-mssql answers but is not ready: no SQL Server is configured (MSSQL_SERVER is empty).');
      // The deployed version is the image tag in servers.json (overlays/dev keeps it).
      expect(await card('mcp-example').locator('.card-title').textContent()).toMatch(/^mcp-example v\d+\.\d+\.\d+/);
      await shots('10-catalog');
    });

    async function callTool(server: string, toolTitle: RegExp, toolName: string, fill?: () => Promise<void>) {
      await openServer(server);
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

    it('shows CRM search results as a table, with the JSON tree one click away (untouched filters not sent)', async () => {
      await openServer('mcp-hubspot');
      await page.getByRole('button', { name: /Search CRM records/ }).click();
      await page.getByLabel(/^objectType/).selectOption({ label: 'contacts' });
      for (const [index, property] of ['firstname', 'lastname', 'email'].entries()) {
        await page.getByRole('button', { name: 'Add properties' }).click();
        await page.getByLabel(new RegExp(`^properties ${index + 1}`)).fill(property);
      }
      await page.getByRole('button', { name: 'Call search_crm_objects' }).click();
      const table = page.locator('.outcome table.records');
      await table.waitFor();
      expect(await table.locator('thead').textContent()).toContain('properties.email');
      expect(await table.locator('tbody tr').count()).toBe(2);
      expect(await table.textContent()).toContain('ada@engines.example');
      // The call went out without the optional fields the person did not touch (no empty filterGroups, no default limit).
      expect(await page.locator('.history-list li .args').first().textContent()).toBe('{"objectType":"contacts","properties":["firstname","lastname","email"]}');
      await shots('11-table-result', '.outcome');
      await page.getByRole('button', { name: 'Show as JSON tree' }).click();
      await page.locator('.outcome .json-node').first().waitFor();
      await page.getByRole('button', { name: 'Show as table' }).click();
    });

    it('asks before a destructive call, and does not call when told not to', async () => {
      await page.getByRole('button', { name: /Update a CRM record/ }).click();
      const panel = page.locator('.tool-panel');
      expect(await panel.locator('.badges').textContent()).toContain('destructive');
      await page.getByLabel(/^objectType/).selectOption({ label: 'contacts' });
      await page.getByLabel(/^id(?!Property)/).fill('1002');
      await page.getByLabel(/^properties/).fill('{"lastname": "Byron"}');
      const patches = () => stack.hubspot.requests.filter((r) => r.method === 'PATCH').length;
      const before = patches();
      await page.getByRole('button', { name: 'Call update_crm_object' }).click();
      const dialog = page.getByRole('alertdialog', { name: 'Call update_crm_object on mcp-hubspot?' });
      await dialog.waitFor();
      expect(await dialog.textContent()).toContain('may delete or overwrite data');
      expect(await dialog.textContent()).toContain('"lastname": "Byron"');
      await shots('12-confirm-destructive', '.confirm');
      await dialog.getByRole('button', { name: "Don't call" }).click();
      expect(await dialog.count()).toBe(0);
      expect(patches()).toBe(before);
      await page.getByRole('button', { name: 'Call update_crm_object' }).click();
      await page.getByRole('button', { name: 'Yes, call update_crm_object' }).click();
      await page.locator('.outcome .result-ok').waitFor();
      expect(patches()).toBe(before + 1);
    });

    it('ends a call whose server is killed mid-way as failed, in words, and Retry works once it is back', async () => {
      await openServer('mcp-example');
      await page.getByRole('button', { name: /Long-running task/ }).click();
      await page.getByLabel(/^steps/).fill('40');
      await page.getByRole('button', { name: 'Call long_task' }).click();
      await page.getByText(/step 2 of 40/).waitFor();
      const server = stack.processes.get('mcp-example')!;
      const restarts = server.restarts;
      server.child.kill('SIGKILL');
      const failed = page.locator('.outcome .result-error');
      await failed.waitFor({ timeout: 30_000 });
      expect(await failed.textContent()).toContain('mcp-example stopped answering');
      expect(await page.locator('.progress').count()).toBe(0);
      expect(await page.locator('.history-list li').first().textContent()).toContain('error');
      await shots('13-killed-mid-call', '.outcome');
      // The stack starts the server again (as the kubelet would); Retry then runs the call again.
      await vi.waitFor(() => expect(server.restarts).toBe(restarts + 1), { timeout: 30_000 });
      await vi.waitFor(async () => expect((await fetch(`http://127.0.0.1:${server.port}/healthz`)).ok).toBe(true), { timeout: 30_000 });
      await failed.getByRole('button', { name: 'Retry' }).click();
      await page.getByText(/step 1 of 40/).waitFor({ timeout: 30_000 });
      await page.getByRole('button', { name: 'Cancel', exact: true }).click();
      await page.locator('.outcome .result-cancelled').waitFor();
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
        await mssql.getByText('The gateway refused you access for mcp-mssql. It opens with the app role SQL.Read.').waitFor();
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
