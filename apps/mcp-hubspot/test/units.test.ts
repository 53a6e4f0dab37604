/** Unit tests of the pure parts: settings, paths, retry decisions, the token source, the client's 401 re-read. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { buildUrl, createHubSpotClient } from '../src/hubspot/client.ts';
import { HubSpotError } from '../src/hubspot/errors.ts';
import { createPaths } from '../src/hubspot/paths.ts';
import { backoffMs, decideRateLimit, rateLimitWaitMs } from '../src/hubspot/retry-policy.ts';
import { createTokenSource, type TokenSource } from '../src/hubspot/token-source.ts';

describe('loadConfig', () => {
  it('defaults follow docs/contracts.md', () => {
    expect(loadConfig({})).toMatchObject({
      accessTokenFile: undefined,
      baseUrl: 'https://api.hubapi.com',
      apiVersion: '2026-03',
      readOnly: false,
      retry: { maxAttempts: 4 },
    });
  });
  it('reads the contract variables', () => {
    const c = loadConfig({
      HUBSPOT_ACCESS_TOKEN_FILE: '/var/run/secrets/hubspot-access-token/access-token',
      HUBSPOT_BASE_URL: 'http://127.0.0.1:9000/',
      HUBSPOT_API_VERSION: 'v3',
      HUBSPOT_READ_ONLY: 'true',
    });
    expect(c).toMatchObject({ accessTokenFile: '/var/run/secrets/hubspot-access-token/access-token', baseUrl: 'http://127.0.0.1:9000', apiVersion: 'v3', readOnly: true });
  });
  it('rejects bad values, naming the variable', () => {
    expect(() => loadConfig({ HUBSPOT_API_VERSION: 'v4' })).toThrow(/HUBSPOT_API_VERSION/);
    expect(() => loadConfig({ HUBSPOT_API_VERSION: '2026-13' })).toThrow(/HUBSPOT_API_VERSION/);
    expect(() => loadConfig({ HUBSPOT_READ_ONLY: 'maybe' })).toThrow(/HUBSPOT_READ_ONLY/);
    expect(() => loadConfig({ HUBSPOT_BASE_URL: 'ftp://x' })).toThrow(/HUBSPOT_BASE_URL/);
    expect(() => loadConfig({ HUBSPOT_BASE_URL: 'not a url' })).toThrow(/HUBSPOT_BASE_URL/);
    expect(() => loadConfig({ HUBSPOT_MAX_ATTEMPTS: '0' })).toThrow(/HUBSPOT_MAX_ATTEMPTS/);
  });
});

describe('the contract with the generated manifests', () => {
  it('the environment rendered from servers.json loads as intended', async () => {
    const registry = JSON.parse(await readFile(new URL('../../../servers.json', import.meta.url), 'utf8')) as {
      servers: Array<{ name: string; env?: Record<string, string>; secretMounts?: Array<{ secretName: string; mountPath: string; env: Record<string, string> }> }>;
    };
    const entry = registry.servers.find((s) => s.name === 'mcp-hubspot');
    expect(entry).toBeDefined();
    const env: Record<string, string> = { ...entry!.env };
    for (const mount of entry!.secretMounts ?? []) {
      for (const [name, key] of Object.entries(mount.env)) env[name] = `${mount.mountPath}/${key}`;
    }
    const config = loadConfig(env);
    expect(config.accessTokenFile).toBe('/var/run/secrets/hubspot-access-token/access-token');
    expect(config.apiVersion).toMatch(/^(v3|\d{4}-\d{2})$/);
    expect(config.readOnly).toBe(false);
    expect(entry!.secretMounts?.[0]?.secretName).toBe('hubspot-access-token');
  });
});

describe('createPaths', () => {
  it('date versions put the version after the family', () => {
    const p = createPaths('2026-03');
    expect(p.search('contacts')).toBe('/crm/objects/2026-03/contacts/search');
    expect(p.object('deals', '12')).toBe('/crm/objects/2026-03/deals/12');
    expect(p.associations('contacts', '1', 'companies')).toBe('/crm/objects/2026-03/contacts/1/associations/companies');
    expect(p.associationLabels('notes', 'deals')).toBe('/crm/associations/2026-03/notes/deals/labels');
    expect(p.properties('tickets')).toBe('/crm/properties/2026-03/tickets');
    expect(p.owners()).toBe('/crm/owners/2026-03');
    expect(p.pipelines('deals')).toBe('/crm/pipelines/2026-03/deals');
  });
  it('v3 uses /crm/v3 and associations v4', () => {
    const p = createPaths('v3');
    expect(p.batchRead('contacts')).toBe('/crm/v3/objects/contacts/batch/read');
    expect(p.defaultAssociation('contacts', '1', 'companies', '2')).toBe('/crm/v4/objects/contacts/1/associations/default/companies/2');
    expect(p.associationLabels('notes', 'deals')).toBe('/crm/v4/associations/notes/deals/labels');
    expect(p.owners()).toBe('/crm/v3/owners');
  });
  it('encodes ids', () => {
    expect(createPaths('2026-03').object('contacts', 'a/b@x.com')).toBe('/crm/objects/2026-03/contacts/a%2Fb%40x.com');
  });
  it('buildUrl leaves undefined query values out', () => {
    expect(buildUrl('http://h', '/p', { a: 1, b: undefined, c: ['x', 'y'] })).toBe('http://h/p?a=1&c=x%2Cy');
  });
});

describe('retry policy', () => {
  const h = (o: Record<string, string>): Headers => new Headers(o);
  it('Retry-After in seconds or as a date, else the interval header', () => {
    expect(rateLimitWaitMs({ headers: h({ 'retry-after': '2' }) }, 0)).toBe(2000);
    expect(rateLimitWaitMs({ headers: h({ 'retry-after': new Date(5000).toUTCString() }) }, 1000)).toBe(4000);
    expect(rateLimitWaitMs({ headers: h({ 'x-hubspot-ratelimit-interval-milliseconds': '10000' }) }, 0)).toBe(10000);
    expect(rateLimitWaitMs({ headers: h({}) }, 0)).toBeUndefined();
  });
  it('gives up on DAILY and on waits longer than allowed', () => {
    expect(decideRateLimit({ headers: h({ 'retry-after': '1' }), policyName: 'DAILY' }, 5000, 0)).toMatchObject({ retry: false });
    expect(decideRateLimit({ headers: h({ 'x-hubspot-ratelimit-daily-remaining': '0' }) }, 5000, 0)).toMatchObject({ retry: false });
    expect(decideRateLimit({ headers: h({ 'retry-after': '6' }) }, 5000, 0)).toMatchObject({ retry: false });
    expect(decideRateLimit({ headers: h({ 'retry-after': '1' }) }, 5000, 0)).toEqual({ retry: true, waitMs: 1000 });
    expect(decideRateLimit({ headers: h({}) }, 11_000, 0)).toEqual({ retry: true, waitMs: 10_000 });
  });
  it('backoff doubles and is capped', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(n, 250, 1500))).toEqual([250, 500, 1000, 1500, 1500]);
  });
});

describe('createTokenSource', () => {
  it('re-reads the file only when it changes, trims it, falls back to the env token', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hubspot-token-'));
    const file = join(dir, 'access-token');
    const source = createTokenSource({ file, fallback: 'env-token' });
    expect(await source.current()).toBe('env-token'); // no file yet
    await writeFile(file, 'file-token-1\n');
    expect(await source.current()).toBe('file-token-1');
    await writeFile(file, 'file-token-222');
    expect(await source.current()).toBe('file-token-222');
    await writeFile(file, '   ');
    expect(await source.current()).toBe('env-token'); // empty file
    expect(source.describe()).toContain(file);
    expect(source.describe()).not.toContain('env-token');
    await rm(dir, { recursive: true, force: true });
    expect(await createTokenSource({}).current()).toBeUndefined();
  });
});

describe('HubSpot client on a 401', () => {
  it('retries once with a newer token when the file changed during the call, never twice', async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(String(req.headers.authorization));
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"status":"error","message":"expired"}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    let n = 0;
    const tokens: TokenSource = { current: async () => `token-${Math.min(++n, 3)}`, describe: () => 'test', expiresAt: async () => undefined };
    const client = createHubSpotClient({
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      tokens,
      retry: { maxAttempts: 3, maxWaitMs: 10, baseBackoffMs: 1 },
      requestTimeoutMs: 2000,
    });
    const error = await client.request({ method: 'GET', path: '/crm/owners/2026-03' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubSpotError);
    expect((error as HubSpotError).kind).toBe('unauthorized');
    expect(seen).toEqual(['Bearer token-1', 'Bearer token-3']);
    server.close();
  });

  it('a network failure on a read is retried, then reported', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    const waits: number[] = [];
    const client = createHubSpotClient({
      baseUrl: `http://127.0.0.1:${port}`,
      tokens: { current: async () => 't', describe: () => 'test', expiresAt: async () => undefined },
      retry: { maxAttempts: 2, maxWaitMs: 100, baseBackoffMs: 1 },
      requestTimeoutMs: 2000,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    const error = await client.request({ method: 'GET', path: '/x' }).catch((e: unknown) => e);
    expect((error as HubSpotError).kind).toBe('network_error');
    expect((error as HubSpotError).message).toMatch(/could not be reached.*2 attempts/);
    expect(waits).toEqual([1]);
  });
});
