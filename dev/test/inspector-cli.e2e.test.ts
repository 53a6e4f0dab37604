/**
 * The MCP Inspector's CLI (@modelcontextprotocol/inspector, a client people use by hand) against the dev stack:
 * it lists and calls tools through the gateway with a token from the Entra stand-in, and is refused without one.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack.ts';
import { userToken, repoRoot, startDevStack } from './support.ts';

const run = promisify(execFile);
let stack: Stack;
let home: string;

beforeAll(async () => {
  ({ stack } = await startDevStack());
  home = await mkdtemp(path.join(os.tmpdir(), 'inspector-home-'));
});
afterAll(async () => {
  await stack?.close();
  await rm(home, { recursive: true, force: true });
});

/** Runs `inspector --cli <route> ...args`; the Inspector keeps its state under HOME, a temporary folder here. */
async function inspector(route: string, args: string[]): Promise<{ code: number; output: string }> {
  const bin = path.join(repoRoot, 'node_modules/.bin/inspector');
  const url = new URL(route, stack.gateway.url).href;
  try {
    const { stdout } = await run(bin, ['--cli', url, '--transport', 'http', ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: home },
      timeout: 30_000,
    });
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

describe('the MCP Inspector CLI through the gateway', () => {
  it('lists the tools of every server with a token', async () => {
    const token = await userToken(stack);
    for (const [route, tool] of [['/mcp/mcp-example', 'echo'], ['/mcp/mcp-hubspot', 'search_crm_objects'], ['/mcp/mcp-mssql', 'run_query']]) {
      const { code, output } = await inspector(route!, ['--header', `Authorization: Bearer ${token}`, '--method', 'tools/list']);
      expect(code, output).toBe(0);
      expect(JSON.parse(output).tools.map((t: { name: string }) => t.name)).toContain(tool);
    }
  });

  it('calls a tool with arguments', async () => {
    const token = await userToken(stack);
    const { code, output } = await inspector('/mcp/mcp-example', [
      '--header', `Authorization: Bearer ${token}`, '--method', 'tools/call', '--tool-name', 'add', '--tool-arg', 'a=2', 'b=40',
    ]);
    expect(code, output).toBe(0);
    expect(JSON.parse(output).content[0].text).toBe('42');
  });

  it('is refused without a token', async () => {
    const { code, output } = await inspector('/mcp/mcp-example', ['--method', 'tools/list']);
    expect(code).not.toBe(0);
    expect(output).toContain('auth_required');
  });
});
