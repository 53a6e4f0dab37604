/**
 * A server added to servers.json is reachable after regenerating and restarting, with no code change: the
 * routes, backend, Service and workload all come from the manifests. The new entry runs the mcp-example image
 * (so its source is in apps/), under a new name and path, in a copy of the repository's registry, overlays and
 * ApplicationSets.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRegistry, renderFiles } from '../../generators/src/index.ts';
import { lockLike, locksFor } from '../../generators/test/helpers.ts';
import type { Stack } from '../stack.ts';
import { connectThroughGateway, repoRoot, startDevStack, userToken } from './support.ts';

let scratch: string;
let stack: Stack;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'new-server-'));
  const registry = JSON.parse(await readFile(path.join(repoRoot, 'servers.json'), 'utf8'));
  const example = registry.servers.find((s: { name: string }) => s.name === 'mcp-example');
  registry.servers.push({ ...example, name: 'mcp-reports', description: 'A second copy of the example server, added by one registry entry.' });

  // npm run generate, into the copy: parse, render, write the files it renders.
  // Its lock comes with it (here the example's tools, as the image is the example's).
  const text = JSON.stringify(registry);
  const parsed = parseRegistry(text, locksFor(text, { 'mcp-reports': lockLike('mcp-reports') }));
  expect(parsed.problems).toEqual([]);
  for (const file of renderFiles(parsed.registry!)) {
    await mkdir(path.dirname(path.join(scratch, file.path)), { recursive: true });
    await writeFile(path.join(scratch, file.path), file.content);
  }
  await cp(path.join(repoRoot, 'overlays'), path.join(scratch, 'overlays'), { recursive: true });
  await cp(path.join(repoRoot, 'argocd'), path.join(scratch, 'argocd'), { recursive: true });

  // Its own Application appears from the folder the generator wrote; the stack runs what they all render.
  ({ stack } = await startDevStack('dev', {}, scratch));
});

afterAll(async () => {
  await stack?.close();
  await rm(scratch, { recursive: true, force: true });
});

describe('a fourth server added to servers.json', () => {
  it('is served at /mcp/<name> behind the JWT policy, by its own process', async () => {
    expect(stack.processes.has('mcp-reports')).toBe(true);
    const unauthenticated = await fetch(new URL('/mcp/mcp-reports', stack.gateway.url), { method: 'POST', body: '{}' });
    expect(unauthenticated.status).toBe(401);

    const client = await connectThroughGateway(stack, '/mcp/mcp-reports', await userToken(stack));
    const tools = (await client.listTools()).tools.map((t) => t.name);
    expect(tools).toContain('echo');
    const result = await client.callTool({ name: 'echo', arguments: { text: 'new server' } });
    expect(JSON.stringify(result.content)).toContain('new server');
    await client.close();
  });
});
