/**
 * The MCP Inspector's CLI (@modelcontextprotocol/inspector 2.12, a client people use by hand, on the official
 * SDK client 2.3) against the dev stack: with a token it is handed, and signing in by itself the way a person
 * would run it (the test reads the URL it asks to open, clicks through the Entra stand-in's page, and delivers
 * the code to the CLI's own callback listener). `BROWSER=true` keeps it from opening a real browser.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack.ts';
import { userToken, repoRoot, startDevStack } from './support.ts';
import { Agent, signInAs } from './sign-in.ts';

let stack: Stack;
let home: string;
const ROUTES: [string, string][] = [['/mcp/mcp-example', 'echo'], ['/mcp/mcp-hubspot', 'search_crm_objects'], ['/mcp/mcp-mssql', 'run_query']];

beforeAll(async () => {
  ({ stack } = await startDevStack());
  home = await mkdtemp(path.join(os.tmpdir(), 'inspector-home-'));
});
afterAll(async () => {
  await stack?.close();
  await rm(home, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** The authorization URL the CLI asked to open, when it started a sign-in. */
  authorizationUrl?: string;
}

/**
 * Runs `inspector --cli <route> --transport http ...args` with its state under a temporary HOME. When it asks
 * for a sign-in, `userId` signs in and the code goes to the CLI's callback listener; without `userId` a sign-in
 * request is left unanswered and the CLI is stopped.
 */
function inspector(route: string, args: string[], options: { userId?: string; callbackUrl?: string; env?: Record<string, string> } = {}): Promise<Run> {
  const bin = path.join(repoRoot, 'node_modules/.bin/inspector');
  const url = new URL(route, stack.gateway.url).href;
  const child = spawn(bin, ['--cli', url, '--transport', 'http', ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: home, BROWSER: 'true', ...options.env },
  });
  const run: Run = { code: -1, stdout: '', stderr: '' };
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  child.stdout.on('data', (chunk) => (run.stdout += chunk));
  child.stderr.on('data', (chunk) => {
    run.stderr += chunk;
    const asked = /Please navigate to: (\S+)/.exec(run.stderr)?.[1];
    if (!asked || run.authorizationUrl) return;
    run.authorizationUrl = asked;
    if (!options.userId || !options.callbackUrl) return void child.kill('SIGTERM');
    void signInAs(new Agent(), asked, options.callbackUrl, options.userId).then(
      (back) => fetch(back),
      (error: Error) => {
        run.stderr += `\n[test] sign-in failed: ${error.message}`;
        child.kill('SIGTERM');
      },
    );
  });
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ ...run, code: code ?? -1 });
    }),
  );
}

const tools = (run: Run) => (JSON.parse(run.stdout) as { tools: { name: string }[] }).tools.map((t) => t.name);

describe('the MCP Inspector CLI through the gateway, with a token', () => {
  it('lists the tools of every server', async () => {
    const token = await userToken(stack);
    for (const [route, tool] of ROUTES) {
      const run = await inspector(route, ['--header', `Authorization: Bearer ${token}`, '--method', 'tools/list']);
      expect(run.code, run.stderr).toBe(0);
      expect(tools(run)).toContain(tool);
    }
  });

  it('calls a tool with arguments', async () => {
    const token = await userToken(stack);
    const run = await inspector('/mcp/mcp-example', ['--header', `Authorization: Bearer ${token}`, '--method', 'tools/call', '--tool-name', 'add', '--tool-arg', 'a=2', 'b=40']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).content[0].text).toBe('42');
  });

  it('is refused without a token when it may not sign in (--stored-auth-only)', async () => {
    const run = await inspector('/mcp/mcp-example', ['--stored-auth-only', '--method', 'tools/list']);
    expect(run.code).not.toBe(0);
    expect(run.stdout + run.stderr).toContain('auth_required');
  });
});

describe('the MCP Inspector CLI signing in by itself', () => {
  // Without a terminal the CLI only runs an interactive sign-in when told to (it then prints the URL to open).
  const interactive = { MCP_AUTO_OPEN_ENABLED: 'true' };
  let port = 46_300;
  const callback = () => `http://127.0.0.1:${port++}/oauth/callback`;

  it('trips on agentgateway#3080 against v1.4.1 as rendered: it refuses the bridged issuer before any sign-in', async () => {
    const run = await inspector('/mcp/mcp-example', ['--client-id', stack.mcpClientId, '--callback-url', callback(), '--method', 'tools/list'], { env: interactive, userId: 'ada' });
    expect(run.code).not.toBe(0);
    expect(run.authorizationUrl).toBeUndefined();
    expect(run.stdout + run.stderr).toContain(`Issuer mismatch in authorization server metadata (RFC 8414 §3.3): expected \\"${stack.gateway.url.origin}/mcp/mcp-example\\", received \\"${stack.entra.issuer}\\"`);
  });

  describe('with the bridged issuer fixed (agentgateway main #3089 / PR #3327)', () => {
    beforeAll(() => stack.gateway.setBridgedIssuer('gateway'));
    afterAll(() => stack.gateway.setBridgedIssuer('entra'));

    it('signs in with the pre-registered client id and lists the tools of every server', async () => {
      for (const [route, tool] of ROUTES) {
        const callbackUrl = callback();
        const run = await inspector(route, ['--client-id', stack.mcpClientId, '--callback-url', callbackUrl, '--method', 'tools/list'], { env: interactive, userId: 'ada', callbackUrl });
        expect(run.code, run.stderr).toBe(0);
        expect(run.authorizationUrl).toContain(`${stack.gateway.url.origin}/.well-known/oauth-authorization-server${route}/authorize`);
        expect(tools(run)).toContain(tool);
      }
    });

    it('signs in with no client id at all (the gateway answers its registration) and calls a tool', async () => {
      const callbackUrl = callback();
      const run = await inspector('/mcp/mcp-example', ['--callback-url', callbackUrl, '--method', 'tools/call', '--tool-name', 'add', '--tool-arg', 'a=2', 'b=40'], { env: interactive, userId: 'grace', callbackUrl });
      expect(run.code, run.stderr).toBe(0);
      expect(new URL(run.authorizationUrl!).searchParams.get('client_id')).toBe(stack.mcpClientId);
      expect(JSON.parse(run.stdout).content[0].text).toBe('42');
    });

    it('refreshes an expired access token from its stored sign-in, with no page', async () => {
      const store = { ...interactive, MCP_INSPECTOR_SECRET_STORE: 'file' };
      const callbackUrl = callback();
      stack.entra.setAccessTokenTtl(2);
      try {
        const first = await inspector('/mcp/mcp-example', ['--client-id', stack.mcpClientId, '--callback-url', callbackUrl, '--method', 'tools/list'], { env: store, userId: 'ada', callbackUrl });
        expect(first.code, first.stderr).toBe(0);
        stack.entra.setAccessTokenTtl(600);
        await new Promise((resolve) => setTimeout(resolve, 2100));
        stack.gatewayClock.advance(61_000);
        const refreshes = stack.entra.refreshCount();
        const second = await inspector('/mcp/mcp-example', ['--client-id', stack.mcpClientId, '--callback-url', callbackUrl, '--stored-auth-only', '--method', 'tools/list'], { env: store });
        expect(second.code, second.stderr).toBe(0);
        expect(second.authorizationUrl).toBeUndefined();
        expect(tools(second)).toContain('echo');
        expect(stack.entra.refreshCount()).toBe(refreshes + 1);
      } finally {
        stack.entra.setAccessTokenTtl(600);
        stack.gatewayClock.reset();
      }
    });
  });
});
