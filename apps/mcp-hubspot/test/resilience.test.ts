/**
 * Token handling and HubSpot failures, through the official MCP client against the app and the HubSpot
 * stand-in: 401, 429 with rate-limit headers, 5xx then success, 5xx forever, token file rotation without
 * restart, a missing token, readiness.
 */
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIRST_TOKEN, callError, callOk, startHarness, type Harness } from './helpers.ts';

const SEARCH = { objectType: 'contacts', properties: ['email'] };
const SEARCH_PATH = '/crm/objects/2026-03/contacts/search';

describe('mcp-hubspot resilience', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    h.standIn.seed('contacts', { email: 'ada@example.com' });
  });
  afterEach(async () => {
    await h?.close();
  });

  const searches = (): number => h.standIn.requests.filter((r) => r.path === SEARCH_PATH).length;

  it('a 401 becomes a tool error naming the refresher; the token never appears', async () => {
    h.standIn.setValidTokens(['some-other-token']);
    const text = await callError(h.client, 'search_crm_objects', SEARCH);
    expect(text).toMatch(/401/);
    expect(text).toMatch(/expired or was revoked/);
    expect(text).toMatch(/hubspot-token-cronjob/);
    expect(text).toMatch(/hubspot-access-token/);
    expect(text).toMatch(/expires at \d{4}-\d{2}-\d{2}T/); // from expires-at beside the token file
    expect(text).not.toContain(FIRST_TOKEN);
    expect(JSON.stringify(h.logLines)).not.toContain(FIRST_TOKEN);
    expect(searches()).toBe(1); // same token, no retry
  });

  it('a 403 names the missing scopes HubSpot reports', async () => {
    h.standIn.addFault('GET', '/owners/2026-03', {
      status: 403,
      body: {
        status: 'error',
        message: 'This app hasn\'t been granted all required scopes to make this call.',
        category: 'MISSING_SCOPES',
        errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: ['crm.objects.owners.read'] } }],
      },
    });
    const text = await callError(h.client, 'list_owners', {});
    expect(text).toMatch(/403/);
    expect(text).toMatch(/Scopes required: crm\.objects\.owners\.read/);
  });

  it('a 429 waits as Retry-After says, then the retry succeeds', async () => {
    h.standIn.addFault('POST', '/contacts/search', {
      status: 429,
      headers: { 'retry-after': '0.3', 'x-hubspot-ratelimit-remaining': '0', 'x-hubspot-ratelimit-interval-milliseconds': '10000' },
      body: { status: 'error', message: 'You have reached your ten_secondly_rolling limit.', policyName: 'TEN_SECONDLY_ROLLING', category: 'RATE_LIMITS' },
    });
    const out = await callOk<{ total: number }>(h.client, 'search_crm_objects', SEARCH);
    expect(out.total).toBe(1);
    expect(h.sleeps).toEqual([300]);
    const [first, second] = h.standIn.requests.filter((r) => r.path === SEARCH_PATH);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(290); // lower bound only: the wait really happened
  });

  it('a 429 without Retry-After waits X-HubSpot-RateLimit-Interval-Milliseconds', async () => {
    h.standIn.addFault('GET', '/owners/2026-03', {
      status: 429,
      headers: { 'x-hubspot-ratelimit-remaining': '0', 'x-hubspot-ratelimit-interval-milliseconds': '150' },
      body: { status: 'error', message: 'secondly limit', policyName: 'SECONDLY' },
    });
    await callOk(h.client, 'list_owners', {});
    expect(h.sleeps).toEqual([150]);
  });

  it('a 429 asking for more than the allowed wait, or the DAILY limit, fails at once with a clear error', async () => {
    h.standIn.addFault('POST', '/contacts/search', { status: 429, headers: { 'retry-after': '60' }, body: { status: 'error', message: 'slow down' } });
    expect(await callError(h.client, 'search_crm_objects', SEARCH)).toMatch(/rate limit.*60000 ms/);
    h.standIn.addFault('POST', '/contacts/search', { status: 429, body: { status: 'error', message: 'daily', policyName: 'DAILY' } });
    expect(await callError(h.client, 'search_crm_objects', SEARCH)).toMatch(/daily API call limit/);
    expect(h.sleeps).toEqual([]);
    expect(searches()).toBe(2);
  });

  it('a 429 that persists is retried a bounded number of times', async () => {
    h.standIn.addFault('POST', '/contacts/search', { status: 429, headers: { 'retry-after': '0.01' } }, 100);
    expect(await callError(h.client, 'search_crm_objects', SEARCH)).toMatch(/still limited after 3 attempts/);
    expect(searches()).toBe(3);
    expect(h.sleeps).toEqual([10, 10]);
  });

  it('5xx then success: retried with exponential backoff', async () => {
    h.standIn.addFault('POST', '/contacts/search', { status: 502 }, 2);
    const out = await callOk<{ total: number }>(h.client, 'search_crm_objects', SEARCH);
    expect(out.total).toBe(1);
    expect(h.sleeps).toEqual([5, 10]);
    expect(searches()).toBe(3);
  });

  it('5xx forever: bounded attempts, then a clear error', async () => {
    h.standIn.addFault('POST', '/contacts/search', { status: 503, body: { status: 'error', message: 'Service Unavailable', correlationId: 'c-1' } }, 100);
    const text = await callError(h.client, 'search_crm_objects', SEARCH);
    expect(text).toMatch(/HubSpot failed with 503 .* 3 attempts; giving up/);
    expect(text).toMatch(/Service Unavailable/);
    expect(searches()).toBe(3);
  });

  it('a create that hits a 5xx is not repeated (it may have been applied)', async () => {
    h.standIn.addFault('POST', '/crm/objects/2026-03/contacts', { status: 500 }, 5);
    const text = await callError(h.client, 'create_crm_object', { objectType: 'contacts', properties: { email: 'x@example.com' } });
    expect(text).toMatch(/may or may not have been applied/);
    expect(h.standIn.requests.filter((r) => r.method === 'POST' && r.path === '/crm/objects/2026-03/contacts')).toHaveLength(1);
  });

  it('the token file is swapped (kubelet-style) between two calls: the second call uses the new token, no restart', async () => {
    await callOk(h.client, 'search_crm_objects', SEARCH);
    await h.secret.write('pat-na1-second-token-1111');
    h.standIn.setValidTokens(['pat-na1-second-token-1111']);
    await callOk(h.client, 'search_crm_objects', SEARCH);
    expect(h.standIn.requests.filter((r) => r.path === SEARCH_PATH).map((r) => r.token)).toEqual([FIRST_TOKEN, 'pat-na1-second-token-1111']);
  });

  it('the token file is replaced by write + rename: the next call uses the new token', async () => {
    await h.close();
    const dir = await mkdtemp(join(tmpdir(), 'hubspot-plain-'));
    const plainFile = join(dir, 'plain-token');
    await writeFile(plainFile, 'pat-na1-plain-a\n');
    h = await startHarness({ accessTokenFile: plainFile });
    h.standIn.setValidTokens(['pat-na1-plain-a', 'pat-na1-plain-b']);
    h.standIn.seed('contacts', { email: 'ada@example.com' });
    await callOk(h.client, 'search_crm_objects', SEARCH);
    await writeFile(`${plainFile}.tmp`, 'pat-na1-plain-b\n');
    await rename(`${plainFile}.tmp`, plainFile);
    await callOk(h.client, 'search_crm_objects', SEARCH);
    expect(h.standIn.requests.filter((r) => r.path === SEARCH_PATH).map((r) => r.token)).toEqual(['pat-na1-plain-a', 'pat-na1-plain-b']);
    await rm(dir, { recursive: true, force: true });
  });

  it('no token at all: a tool error naming where the token is read from, and /readyz says not ready', async () => {
    await h.close();
    h = await startHarness({ accessTokenFile: '/nonexistent/hubspot/access-token', accessToken: undefined });
    const text = await callError(h.client, 'list_owners', {});
    expect(text).toMatch(/No HubSpot access token/);
    expect(text).toContain('/nonexistent/hubspot/access-token');
    expect(h.standIn.requests).toHaveLength(0);
    const readyz = await fetch(new URL('/readyz', h.app.url));
    expect(readyz.status).toBe(503);
  });

  it('/readyz is ready when the token file has a token, without calling HubSpot', async () => {
    const readyz = await fetch(new URL('/readyz', h.app.url));
    expect(readyz.status).toBe(200);
    expect(h.standIn.requests).toHaveLength(0);
  });

  it('HUBSPOT_ACCESS_TOKEN is the fallback when the file is absent', async () => {
    await h.close();
    h = await startHarness({ accessTokenFile: undefined, accessToken: FIRST_TOKEN });
    await callOk(h.client, 'list_owners', {});
    expect(h.standIn.requests.at(-1)?.token).toBe(FIRST_TOKEN);
  });
});
