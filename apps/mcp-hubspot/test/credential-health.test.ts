/**
 * Credential health on /metrics, through the official MCP client against the app and the HubSpot stand-in, with the
 * token in a folder laid out as the kubelet lays out the Secret hubspot-access-token (dev/volumes.ts): the expiry the
 * refresher writes beside the token, the token's age, whether one is at hand, and whether HubSpot refused the last
 * call for it. The rendered alerts read these (generators/test/alert-rules.test.ts feeds promtool the same series).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeVolume } from '../../../dev/volumes.ts';
import { checkMetrics } from '../../../scripts/promtool.ts';
import { FIRST_TOKEN, callError, callOk, startHarness, type Harness } from './helpers.ts';

const SEARCH = { objectType: 'contacts', properties: ['email'] };

async function scrape(h: Harness): Promise<string> {
  const response = await fetch(h.app.metricsUrl);
  expect(response.status).toBe(200);
  return response.text();
}

function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('mcp-hubspot credential health', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    h.standIn.seed('contacts', { email: 'ada@example.com' });
  });
  afterEach(async () => {
    await h?.close();
  });

  it('exposes the expiry written beside the token, its age and its presence; promtool accepts the scrape', async () => {
    const expiresAt = new Date(Date.now() + 7 * 60_000);
    await writeVolume(h.secret.dir, { 'access-token': FIRST_TOKEN, 'expires-at': expiresAt.toISOString() });
    const text = await scrape(h);
    expect(sample(text, 'mcp_credential_present')).toBe(1);
    expect(sample(text, 'mcp_credential_expiry_timestamp_seconds{source="file"}')).toBe(expiresAt.getTime() / 1000);
    const age = sample(text, 'mcp_credential_age_seconds{source="file"}');
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(120);
    expect(sample(text, 'mcp_credential_refused')).toBe(0);
    expect(await checkMetrics(text)).toEqual({ code: 0, output: '' });
  });

  it('without an expires-at file the expiry has no sample (an unknown expiry never looks like an expired one)', async () => {
    await writeVolume(h.secret.dir, { 'access-token': FIRST_TOKEN });
    const text = await scrape(h);
    expect(text).toContain('# TYPE mcp_credential_expiry_timestamp_seconds gauge');
    expect(text).not.toMatch(/^mcp_credential_expiry_timestamp_seconds\{/m);
    expect(sample(text, 'mcp_credential_present')).toBe(1);
  });

  it('says when HubSpot refused the last call for the token (401), and clears when a call is accepted again', async () => {
    h.standIn.setValidTokens(['pat-na1-rotated-token-1111']);
    expect(await callError(h.client, 'search_crm_objects', SEARCH)).toMatch(/401/);
    expect(sample(await scrape(h), 'mcp_credential_refused')).toBe(1);
    await h.secret.write('pat-na1-rotated-token-1111');
    await callOk(h.client, 'search_crm_objects', SEARCH);
    expect(sample(await scrape(h), 'mcp_credential_refused')).toBe(0);
  });

  it('without a token: present 0 and not ready', async () => {
    await writeVolume(h.secret.dir, { 'access-token': '' });
    expect(sample(await scrape(h), 'mcp_credential_present')).toBe(0);
    expect((await fetch(new URL('/readyz', h.app.url))).status).toBe(503);
  });

  it('no token in any log line: the ones read are scrubbed even from a line that carries one', async () => {
    h.standIn.setValidTokens(['some-other-token']);
    await callError(h.client, 'search_crm_objects', SEARCH);
    expect(h.logRecords().some((record) => record.msg === 'tool call failed' && record.kind === 'unauthorized')).toBe(true);
    // A careless line written with the app's logger, holding the token read from the file:
    h.log.warn({ detail: `Bearer ${FIRST_TOKEN}` }, `token ${FIRST_TOKEN} refused`);
    expect(h.logLines.join('')).not.toContain(FIRST_TOKEN);
    expect(h.logRecords().at(-1)).toMatchObject({ detail: 'Bearer [redacted]', msg: 'token [redacted] refused' });
  });
});
