/**
 * The start-up check against the tool lock (MCP_TOOL_LOCK_FILE): a lock taken with the official SDK v2 client in
 * both protocol eras, then the app started with it, with a changed description, with a tool more, with an unknown
 * annotation key (which the client drops too), with no tools at all; and a file that is not a lock.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod/v4';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { buildLock, formatLock } from '@mcp-gateway/tool-lock';
import { ConfigError, loadRuntimeConfig, startMcpApp, type McpAppDefinition, type RunningMcpApp } from '../src/index.ts';

const folder = mkdtempSync(join(tmpdir(), 'tool-lock-check-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const running: RunningMcpApp[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((app) => app.close()));
});

interface Variant {
  description?: string;
  extraTool?: boolean;
  vendorAnnotation?: boolean;
}

function app(variant: Variant = {}): McpAppDefinition {
  return {
    name: 'lock-test',
    version: '1.0.0',
    register(server) {
      const annotations = { readOnlyHint: true, ...(variant.vendorAnnotation && { vendorHint: 'not in the protocol' }) };
      server.registerTool('lookup', { title: 'Look up', description: variant.description ?? 'Looks a word up.', inputSchema: z.object({ word: z.string() }), annotations }, ({ word }) => ({
        content: [{ type: 'text', text: word }],
      }));
      if (variant.extraTool) server.registerTool('erase', { description: 'Erases everything.' }, () => ({ content: [] }));
    },
  };
}

/** What a client of either era lists; the two must agree. */
async function clientListing(url: URL): Promise<Array<{ name: string } & Record<string, unknown>>> {
  const listings = [];
  for (const negotiation of [{ mode: 'legacy' as const }, { mode: { pin: '2026-07-28' } }]) {
    const client = new Client({ name: 'lock-test', version: '1.0.0' }, { versionNegotiation: negotiation as never });
    await client.connect(new StreamableHTTPClientTransport(url));
    listings.push((await client.listTools()).tools);
    await client.close();
  }
  expect(buildLock('x', { kind: 'hand' }, listings[0]!)).toEqual(buildLock('x', { kind: 'hand' }, listings[1]!));
  return listings[0]!;
}

async function start(def: McpAppDefinition, toolLockFile?: string) {
  const lines: string[] = [];
  const started = await startMcpApp(def, { port: 0, host: '127.0.0.1', toolLockFile }, { logSink: (text) => lines.push(...text.trimEnd().split('\n')) });
  running.push(started);
  // Log lines are written once per event-loop turn.
  const log = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    return lines.map((line) => JSON.parse(line) as Record<string, any>);
  };
  const gauge = async () => /^mcp_tool_lock_mismatches (\d+)$/m.exec(await (await fetch(new URL('/metrics', started.url))).text())?.[1];
  return { app: started, log, gauge };
}

/** A lock file of the unchanged app, as `npm run tools:lock` takes it. */
async function lockOfUnchangedApp(): Promise<string> {
  const { app: reference } = await start(app());
  const file = join(folder, 'lock.json');
  writeFileSync(file, formatLock(buildLock('mcp-lock-test', { kind: 'hand' }, await clientListing(reference.url))));
  return file;
}

describe('the start-up check of the tool lock', () => {
  it('logs that the tools match and exports 0 mismatches', async () => {
    const lock = await lockOfUnchangedApp();
    const { log, gauge } = await start(app(), lock);
    expect((await log()).find((line) => line.msg === 'tool surface matches its lock')).toMatchObject({ level: 'info', tools: 1, digest: expect.stringMatching(/^sha256:/) });
    expect(await gauge()).toBe('0');
  });

  it('names a tool whose description changed under the same name, and one the lock does not have', async () => {
    const lock = await lockOfUnchangedApp();
    const { log, gauge } = await start(app({ description: 'Looks a word up and forwards it elsewhere.', extraTool: true }), lock);
    expect((await log()).find((line) => line.msg === 'tool surface differs from its lock')).toMatchObject({
      level: 'warn',
      mismatches: 2,
      differences: 'tool "erase": offered by this server but not in the lock; tool "lookup": description differs from the lock',
    });
    expect(await gauge()).toBe('2');
  });

  it('reads its tools as the client does: an annotation key outside the protocol is not a difference', async () => {
    const lock = await lockOfUnchangedApp();
    const { log } = await start(app({ vendorAnnotation: true }), lock);
    expect((await log()).map((line) => line.msg)).toContain('tool surface matches its lock');
  });

  it('exports no gauge when no lock is configured', async () => {
    const { gauge } = await start(app());
    expect(await gauge()).toBeUndefined();
  });

  it('refuses to start on a lock file that is missing or is not a lock, naming the variable', async () => {
    await expect(startMcpApp(app(), { port: 0, host: '127.0.0.1', toolLockFile: join(folder, 'absent.json') }, { logSink: () => {} })).rejects.toThrow(
      new ConfigError(`MCP_TOOL_LOCK_FILE: cannot read ${join(folder, 'absent.json')} (ENOENT)`),
    );
    const broken = join(folder, 'broken.json');
    writeFileSync(broken, '{"server": "x"}');
    await expect(startMcpApp(app(), { port: 0, host: '127.0.0.1', toolLockFile: broken }, { logSink: () => {} })).rejects.toThrow(`MCP_TOOL_LOCK_FILE: ${broken} is not a tool lock: "digest" is not a string`);
    expect(loadRuntimeConfig({ MCP_TOOL_LOCK_FILE: ' /etc/mcp-tool-lock/tools.json ' }).toolLockFile).toBe('/etc/mcp-tool-lock/tools.json');
    expect(loadRuntimeConfig({}).toolLockFile).toBeUndefined();
  });
});

describe('an app that registers no tools', () => {
  const resourcesOnly: McpAppDefinition = {
    name: 'no-tools',
    version: '1.0.0',
    register(server) {
      server.registerResource('about', 'test://about', { mimeType: 'text/plain' }, () => ({ contents: [{ uri: 'test://about', text: 'about' }] }));
    },
  };

  it('starts (the probe reads "no tools", not a failure), serves its resources, and matches an empty lock', async () => {
    const file = join(folder, 'empty.json');
    writeFileSync(file, formatLock(buildLock('no-tools', { kind: 'hand' }, [])));
    const { app: started, log } = await start(resourcesOnly, file);
    expect((await log()).find((line) => line.msg === 'tool surface matches its lock')).toMatchObject({ tools: 0 });
    const client = new Client({ name: 'lock-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(started.url));
    expect((await client.listResources()).resources.map((r) => r.uri)).toEqual(['test://about']);
    await client.close();
  });
});
