/**
 * The page in headless Chromium, through the gateway stand-in, signed in at the OpenID provider: sign-in,
 * catalog, a tool called through its generated form (keyboard only), an error result, a long task cancelled,
 * the history, 360 px width, and sign-out. Screenshots go to test-artifacts/mcp-ui/.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { startStack, type Stack } from './support/stack.ts';
import { ARTIFACTS_DIR, chromiumAvailable, launchBrowser } from './support/browser.ts';
import { TEST_USER } from './support/oidc-provider.ts';

const enabled = chromiumAvailable();

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

  it('shows the catalog with each server and whether it answers', async () => {
    const example = page.locator('.card', { hasText: 'mcp-example' });
    await example.getByText('answers').waitFor();
    await expect(example.textContent()).resolves.toContain('Example tools');
    await page.locator('.card', { hasText: 'mcp-offline' }).getByText('not answering').waitFor();
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

  it('keeps a history of the calls', async () => {
    const items = page.locator('.history-list li');
    expect(await items.count()).toBe(3);
    expect(await items.nth(0).textContent()).toContain('long_task');
    expect(await items.nth(0).textContent()).toContain('cancelled');
    expect(await items.nth(1).textContent()).toContain('error');
    expect(await items.nth(2).textContent()).toContain('ok');
    await shot('06-history');
    // Run again: the tool's form comes back filled with the call's arguments.
    await items.nth(2).getByRole('button', { name: 'Run again' }).click();
    await expect(page.getByLabel(/^a/).inputValue()).resolves.toBe('2');
    await expect(page.getByLabel(/^b/).inputValue()).resolves.toBe('40');
  });

  it('shows structured content, resources and prompts', async () => {
    await page.getByRole('button', { name: /Text statistics/ }).click();
    await page.getByLabel(/^text/).fill('hello brave new world');
    await page.getByRole('button', { name: 'Call text_stats' }).click();
    const structured = page.locator('.outcome .structured');
    await structured.waitFor();
    expect(await structured.textContent()).toContain('longestWord: "hello"');

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
    await page.getByRole('button', { name: /^Tools/ }).click();
  });

  it('fits a 360 px wide screen', async () => {
    const narrow = await browser.context.newPage();
    await narrow.setViewportSize({ width: 360, height: 780 });
    await narrow.goto(new URL('/ui/#mcp-example', stack.publicUrl).href);
    await narrow.getByRole('button', { name: /Add two numbers/ }).click();
    await narrow.getByLabel(/^a/).fill('1');
    await narrow.getByLabel(/^b/).fill('2');
    await narrow.getByRole('button', { name: 'Call add' }).click();
    await narrow.locator('.outcome .result-ok').waitFor();
    const overflow = await narrow.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot('08-width-360', narrow);
    await narrow.close();
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
