/**
 * The page in headless Chromium, through the gateway stand-in, signed in at the OpenID provider: sign-in,
 * catalog, a tool called through its generated form (keyboard only), an error result, a long task cancelled,
 * the history (Run again, kept across a reload, Clear), the tool filter, structured content shown once,
 * 360 px width, and sign-out. Screenshots go to test-artifacts/mcp-ui/. The dev stack's browser test
 * (dev/test/browser.e2e.test.ts) covers what needs the real servers: readiness, tables, confirmation, a kill.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { startStack, type Stack } from './support/stack.ts';
import { ARTIFACTS_DIR, chromiumAvailable, launchBrowser } from './support/browser.ts';
import { TEST_USER } from './support/oidc-provider.ts';

const enabled = chromiumAvailable();
const execFileAsync = promisify(execFile);

describe.skipIf(!enabled)('the page in Chromium', () => {
  let stack: Stack;
  let browser: { context: BrowserContext; close(): Promise<void> };
  let page: Page;
  const cspViolations: string[] = [];
  const shot = (name: string, target: Page = page) => target.screenshot({ path: join(ARTIFACTS_DIR, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    stack = await startStack({ stepMs: 250 });
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
  });
  afterEach(async (ctx) => {
    // A failed step leaves a screenshot and the page's text behind, to see what the user would have seen.
    if (ctx.task.result?.state === 'fail' && page) {
      await shot(`failed-${ctx.task.name.replace(/[^a-z0-9]+/gi, '-')}`).catch(() => {});
      console.error(`page at ${page.url()}:\n${(await page.locator('body').innerText().catch(() => '')).slice(0, 2000)}`);
    }
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('offers sign-in, signs in at the provider and comes back signed in', async () => {
    await page.goto(new URL('/ui/', stack.publicUrl).href);
    const signIn = page.getByRole('link', { name: 'Sign in' });
    await signIn.waitFor();
    await shot('01-signed-out');
    await signIn.focus();
    await page.keyboard.press('Enter');
    await page.getByText(`Signed in as ${TEST_USER.name}`).waitFor();
    expect(new URL(page.url()).pathname).toBe('/ui/');
    // The session cookie is HttpOnly: page scripts cannot see it.
    expect(await page.evaluate(() => document.cookie)).toBe('');
  });

  it('shows the catalog with each server and whether it is ready, in a page with an h1 and a favicon', async () => {
    const example = page.locator('.card', { hasText: 'mcp-example' });
    await example.getByText('ready', { exact: true }).waitFor();
    await expect(example.textContent()).resolves.toContain('Example tools');
    // The version is the one the registry deploys; what the server reports is said when it differs.
    expect(await example.locator('.card-title').textContent()).toBe('mcp-example v1.0.0 (reports v0.1.0)');
    const offline = page.locator('.card', { hasText: 'mcp-offline' });
    await offline.getByText('not answering', { exact: true }).waitFor();
    // A sentence, with the technical detail one click away.
    await offline.getByText('mcp-offline is not answering (the gateway answered HTTP 404).').waitFor();
    expect(await offline.locator('details.detail').getAttribute('open')).toBeNull();
    expect(await page.locator('h1').allTextContents()).toEqual(['MCP servers']);
    const icon = await page.locator('link[rel="icon"]').getAttribute('href');
    expect((await fetch(new URL(icon!, page.url()))).status).toBe(200);
    await shot('02-catalog');
  });

  it('calls a tool through its generated form, keyboard only, with validation first', async () => {
    await page.getByRole('button', { name: 'Open mcp-example' }).click();
    await page.getByRole('button', { name: /Add two numbers/ }).focus();
    await page.keyboard.press('Enter');
    const a = page.getByLabel(/^a/);
    await a.waitFor();
    // Submitting empty: the form refuses and names the problem, focus goes to the first invalid field.
    await page.keyboard.press('Tab');
    await page.getByRole('button', { name: 'Call add' }).focus();
    await page.keyboard.press('Enter');
    await page.locator('#tool-mcp-example-add-a-err').waitFor();
    expect(await page.locator('#tool-mcp-example-add-a-err').textContent()).toBe('Required');
    expect(await a.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('2');
    await page.keyboard.press('Tab');
    await page.keyboard.type('40');
    await page.keyboard.press('Enter');
    const result = page.locator('.outcome .result-ok');
    await result.waitFor();
    expect((await result.textContent())?.trim()).toBe('42');
    await shot('03-tool-result');
  });

  it('shows a tool error with the server message', async () => {
    await page.getByRole('button', { name: /Current time/ }).click();
    await page.getByLabel(/^timeZone/).fill('Mars/Olympus');
    await page.getByRole('button', { name: 'Call current_time' }).click();
    const error = page.locator('.outcome .result-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('Unknown time zone "Mars/Olympus"');
    await shot('04-tool-error');
  });

  it('shows progress of a long task and cancels it', async () => {
    const before = stack.taskEvents.length;
    await page.getByRole('button', { name: /Long-running task/ }).click();
    await page.getByLabel(/^steps/).fill('40');
    await page.getByRole('button', { name: 'Call long_task' }).click();
    await page.locator('.progress progress').waitFor();
    await page.getByText(/step 2 of 40/).waitFor();
    await shot('05-long-task-progress');
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    await page.locator('.outcome .result-cancelled').waitFor();
    await vi.waitFor(() => expect(stack.taskEvents.slice(before).some((e) => e.type === 'cancelled')).toBe(true), { timeout: 5000 });
    expect(stack.taskEvents.slice(before).some((e) => e.type === 'completed')).toBe(false);
  });

  it('keeps a history of the calls that survives a reload, and runs a call again', async () => {
    const items = page.locator('.history-list li');
    expect(await items.count()).toBe(3);
    expect(await items.nth(0).textContent()).toContain('long_task');
    expect(await items.nth(0).textContent()).toContain('cancelled');
    expect(await items.nth(1).textContent()).toContain('error');
    expect(await items.nth(2).textContent()).toContain('ok');
    await shot('06-history');
    // Kept in this browser for this person: a reload shows the same entries.
    await page.reload();
    await page.locator('.history-list li').nth(2).waitFor();
    expect(await items.count()).toBe(3);
    expect(await items.nth(2).textContent()).toContain('mcp-example › add');
    // Run again runs: the form comes back with the call's arguments and the call is made (add is read-only: no question).
    await items.nth(2).getByRole('button', { name: 'Run add again' }).click();
    await expect(page.getByLabel(/^a/).inputValue()).resolves.toBe('2');
    await expect(page.getByLabel(/^b/).inputValue()).resolves.toBe('40');
    await page.locator('.outcome .result-ok').getByText('42').waitFor();
    await vi.waitFor(async () => expect(await items.count()).toBe(4));
    expect(await items.nth(0).textContent()).toContain('ok');
  });

  it('filters the tool list as you type', async () => {
    const filter = page.getByPlaceholder('Filter tools');
    await filter.fill('numbers');
    await vi.waitFor(async () => expect(await page.locator('.item-list[aria-label="Tools"] li').count()).toBe(1));
    expect(await page.locator('.item-list[aria-label="Tools"] li').textContent()).toContain('Add two numbers');
    await filter.fill('no such tool');
    await page.getByText('No tool matches').waitFor();
    await filter.fill('');
  });

  it('shows structured content, resources and prompts', async () => {
    await page.getByRole('button', { name: /Text statistics/ }).click();
    await page.getByLabel(/^text/).fill('hello brave new world');
    await page.getByRole('button', { name: 'Call text_stats' }).click();
    const structured = page.locator('.outcome .structured');
    await structured.waitFor();
    expect(await structured.textContent()).toContain('longestWord: "hello"');
    // Shown once: the text block that repeats structuredContent as JSON is left out.
    expect(await page.locator('.outcome .block-json').count()).toBe(0);
    // The raw exchange: the request as sent and the answer as received.
    await page.getByRole('button', { name: 'Show JSON-RPC' }).click();
    const raw = page.locator('.raw-exchange');
    expect(await raw.textContent()).toContain('"method": "tools/call"');
    expect(await raw.textContent()).toContain('"structuredContent"');
    // Copy as curl: the command goes through the gateway with the token left to the person; run as is, it works.
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.publicUrl.origin });
    await page.getByRole('button', { name: 'Copy as curl' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    const command = await page.evaluate(() => navigator.clipboard.readText());
    expect(command).toContain(`curl -sN '${new URL('/mcp/mcp-example', stack.publicUrl).href}'`);
    expect(command).toContain('Bearer $TOKEN');
    const token = stack.provider.issuedAccessTokens.at(-1)!;
    const { stdout } = await execFileAsync('bash', ['-c', command], { env: { ...process.env, TOKEN: token } });
    expect(stdout).toContain('"longestWord":"hello"');

    await page.getByRole('button', { name: /^Resources/ }).click();
    await page.getByRole('button', { name: /About this server/ }).click();
    await page.getByText('An example MCP server').waitFor();

    await page.getByRole('button', { name: /^Prompts/ }).click();
    await page.getByRole('button', { name: /Summarize a text/ }).click();
    await page.getByRole('button', { name: 'Get prompt' }).click();
    await page.locator('.field-invalid').getByText('Required').waitFor();
    await page.getByLabel(/^text/).fill('MCP gateways');
    await page.getByRole('button', { name: 'Get prompt' }).click();
    await page.locator('.messages').getByText('Summarize the following text').waitFor();
    await shot('07-prompt');
    // Prompt gets and resource reads are in the history too.
    const names = await page.locator('.history-list li code:first-of-type').allTextContents();
    expect(names[0]).toBe('mcp-example › summarize');
    expect(names).toContain('mcp-example › example://about');
    await page.getByRole('button', { name: /^Tools/ }).click();
  });

  it('fits a 360 px wide screen: a chosen tool scrolls into view, the history is one tap away', async () => {
    const narrow = await browser.context.newPage();
    await narrow.setViewportSize({ width: 360, height: 780 });
    await narrow.goto(new URL('/ui/#mcp-example', stack.publicUrl).href);
    await narrow.getByRole('button', { name: /Add two numbers/ }).click();
    // The form is below the list on a narrow screen: choosing the tool brings it into view.
    await vi.waitFor(async () => {
      const box = (await narrow.locator('.tool-panel').boundingBox())!;
      expect(box.y).toBeGreaterThanOrEqual(-1);
      expect(box.y).toBeLessThan(780 / 2);
    });
    await shot('08-width-360-tool', narrow);
    await narrow.getByLabel(/^a/).fill('1');
    await narrow.getByLabel(/^b/).fill('2');
    await narrow.getByRole('button', { name: 'Call add' }).click();
    await narrow.locator('.outcome .result-ok').waitFor();
    const overflow = await narrow.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot('08-width-360', narrow);
    await narrow.getByRole('button', { name: /^History \(\d+\)$/ }).click();
    await vi.waitFor(async () => {
      const box = (await narrow.locator('#history-title').boundingBox())!;
      expect(box.y).toBeGreaterThanOrEqual(-1);
      expect(box.y).toBeLessThan(780);
    });
    await narrow.close();
  });

  it('clears the history', async () => {
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.locator('.history').getByText('No calls yet.').waitFor();
    await page.reload();
    await page.locator('.history').getByText('No calls yet.').waitFor();
  });

  it('loads without Content Security Policy violations', () => {
    expect(cspViolations).toEqual([]);
  });

  it('signs out here and at the provider', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/ui/');
    const me = await page.evaluate(async () => (await fetch('/ui/api/me')).status);
    expect(me).toBe(401);
    await shot('09-signed-out-again');
  });
});
