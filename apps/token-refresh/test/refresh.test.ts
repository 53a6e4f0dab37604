/**
 * One refresh, in-process, against two loopback stand-ins: HubSpot's OAuth token endpoint
 * (@mcp-gateway/stand-ins/token-endpoint) and the Kubernetes API server (@mcp-gateway/stand-ins/kube-api), reached through
 * the real @kubernetes/client-node with a KubeConfig that points at the stand-in. Assertions are on the
 * exact requests made and on the Secrets' final contents.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Config } from '../src/config.ts';
import { EXIT_CODES, RefreshError } from '../src/errors.ts';
import { createKubeApis, requiredPermissions } from '../src/kube.ts';
import { refresh } from '../src/refresh.ts';
import { createRunGuard, type RunGuard } from '../src/shutdown.ts';
import {
  b64,
  CLIENT_ID,
  CLIENT_SECRET,
  capturingLogger,
  credentialsDir,
  kubeConfigFor,
  NAMESPACE,
  REFRESH_TOKEN,
  recordingSleep,
  removeDir,
  SA_TOKEN,
  testConfig,
} from './helpers.ts';
import { type KubeApi, startKubeApi } from '@mcp-gateway/stand-ins/kube-api';
import { startTokenEndpoint, type TokenEndpoint, type TokenEndpointOptions } from '@mcp-gateway/stand-ins/token-endpoint';

const NOW = new Date('2026-11-24T01:00:00.000Z');
const ACCESS_SECRET = 'hubspot-access-token';
const CREDENTIALS_SECRET = 'hubspot-oauth-credentials';
const ACCESS_PATH = `/api/v1/namespaces/${NAMESPACE}/secrets/${ACCESS_SECRET}`;
const CREDENTIALS_PATH = `/api/v1/namespaces/${NAMESPACE}/secrets/${CREDENTIALS_SECRET}`;
const STATEFULSET_PATH = `/apis/apps/v1/namespaces/${NAMESPACE}/statefulsets/mcp-hubspot`;
const DEPLOYMENT_PATH = `/apis/apps/v1/namespaces/${NAMESPACE}/deployments/mcp-hubspot`;

let kube: KubeApi;
let tokens: TokenEndpoint;
let dir: string;
let logger: ReturnType<typeof capturingLogger>;
let sleeper: ReturnType<typeof recordingSleep>;

async function setUp(endpoint: Partial<TokenEndpointOptions> = {}): Promise<void> {
  tokens = await startTokenEndpoint({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, refreshToken: REFRESH_TOKEN, ...endpoint });
}

beforeEach(async () => {
  kube = await startKubeApi({ namespace: NAMESPACE, token: SA_TOKEN });
  kube.putSecret(CREDENTIALS_SECRET, { 'client-id': CLIENT_ID, 'client-secret': CLIENT_SECRET, 'refresh-token': REFRESH_TOKEN });
  kube.putSecret(ACCESS_SECRET, { 'access-token': 'at-old', 'expires-at': '2026-11-24T00:40:00Z', 'owner-note': 'kept' });
  dir = await credentialsDir();
  logger = capturingLogger();
  sleeper = recordingSleep();
});

afterEach(async () => {
  await tokens?.close();
  await kube.close();
  await removeDir(dir);
  // No line may carry a credential or a token, whatever the scenario.
  const secrets = [CLIENT_SECRET, REFRESH_TOKEN, ...(tokens?.issued ?? []), ...(tokens ? [...tokens.validRefreshTokens] : [])];
  for (const line of logger.lines) for (const secret of secrets) expect(line).not.toContain(secret);
});

function config(overrides: Partial<Config> = {}): Config {
  return testConfig({ credentialsDir: dir, tokenUrl: tokens.url, ...overrides });
}

function run(overrides: Partial<Config> = {}, guard?: RunGuard) {
  return refresh(config(overrides), {
    kube: createKubeApis(kubeConfigFor(kube.url, SA_TOKEN)),
    log: logger.log,
    secrets: logger.secrets,
    now: () => NOW,
    sleep: sleeper.sleep,
    random: () => 0.5,
    ...(guard ? { guard } : {}),
  });
}

async function runFailing(overrides: Partial<Config> = {}, guard?: RunGuard): Promise<RefreshError> {
  const error = await run(overrides, guard).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RefreshError);
  return error as RefreshError;
}

const calls = () => kube.requests.map((r) => `${r.method} ${r.path} ${r.status}`);

describe('a successful refresh', () => {
  it('posts the refresh-token grant and merge-patches only the owned keys of the access-token Secret', async () => {
    await setUp();
    const result = await run();

    expect(tokens.requests).toEqual([
      {
        method: 'POST',
        path: '/oauth/2026-03/token',
        contentType: 'application/x-www-form-urlencoded;charset=UTF-8',
        form: { grant_type: 'refresh_token', client_id: CLIENT_ID, client_secret: CLIENT_SECRET, refresh_token: REFRESH_TOKEN },
      },
    ]);
    // HubSpot answered the same refresh token: the credentials Secret is not touched.
    expect(calls()).toEqual([`GET ${ACCESS_PATH} 200`, `PATCH ${ACCESS_PATH} 200`]);
    const patch = kube.requests[1]!;
    expect(patch.contentType).toBe('application/merge-patch+json');
    expect(patch.body).toEqual({
      metadata: { resourceVersion: '1002' },
      data: { 'access-token': b64(tokens.issued[0]!), 'expires-at': b64('2026-11-24T01:30:00Z') },
    });
    expect(kube.secretData(ACCESS_SECRET)).toEqual({ 'access-token': tokens.issued[0], 'expires-at': '2026-11-24T01:30:00Z', 'owner-note': 'kept' });
    expect(result).toEqual({ accessTokenChanged: true, refreshTokenRotated: false, expiresAt: '2026-11-24T01:30:00Z', restart: 'not-configured' });
    expect(logger.events().map((e) => e.msg)).toEqual(['token.response', 'kube.secret_patched', 'access_token.saved']);
  });

  it('works the same against the legacy /oauth/v1/token endpoint', async () => {
    await setUp();
    await run({ tokenUrl: tokens.legacyUrl });
    expect(tokens.requests.map((r) => r.path)).toEqual(['/oauth/v1/token']);
    expect(kube.secretData(ACCESS_SECRET)?.['access-token']).toBe(tokens.issued[0]);
  });

  it('saves a rotated refresh token to the credentials Secret first, keeping its other keys', async () => {
    await setUp({ rotate: true });
    const result = await run();
    const [newRefreshToken] = [...tokens.validRefreshTokens];
    expect(newRefreshToken).not.toBe(REFRESH_TOKEN);
    expect(calls()).toEqual([`GET ${CREDENTIALS_PATH} 200`, `PATCH ${CREDENTIALS_PATH} 200`, `GET ${ACCESS_PATH} 200`, `PATCH ${ACCESS_PATH} 200`]);
    expect(kube.requests[1]!.body).toEqual({ metadata: { resourceVersion: '1001' }, data: { 'refresh-token': b64(newRefreshToken!) } });
    expect(kube.secretData(CREDENTIALS_SECRET)).toEqual({ 'client-id': CLIENT_ID, 'client-secret': CLIENT_SECRET, 'refresh-token': newRefreshToken });
    expect(result.refreshTokenRotated).toBe(true);
  });

  it('is harmless twice in a row (the second run also succeeds and keeps the Secret whole)', async () => {
    await setUp();
    await run();
    await run();
    expect(tokens.issued).toHaveLength(2);
    expect(kube.secretData(ACCESS_SECRET)).toEqual({ 'access-token': tokens.issued[1], 'expires-at': '2026-11-24T01:30:00Z', 'owner-note': 'kept' });
  });

  it('sends no PATCH when the Secret already holds the same token and expiry', async () => {
    await setUp({ fixedAccessToken: 'at-same-token-value' });
    kube.putSecret(ACCESS_SECRET, { 'access-token': 'at-same-token-value', 'expires-at': '2026-11-24T01:30:00Z' });
    const result = await run({ restart: { kind: 'StatefulSet', name: 'mcp-hubspot' } });
    expect(calls()).toEqual([`GET ${ACCESS_PATH} 200`]);
    expect(result).toMatchObject({ accessTokenChanged: false, restart: 'token-unchanged' });
  });
});

describe('restart of the target workload', () => {
  beforeEach(() => {
    const template = { metadata: { annotations: { 'example.com/keep': 'yes' } }, spec: { containers: [{ name: 'app', image: 'x' }] } };
    kube.putWorkload('statefulsets', { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'mcp-hubspot' }, spec: { template } });
    kube.putWorkload('deployments', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'mcp-hubspot' }, spec: { template } });
  });

  it('merge-patches the restartedAt annotation of a StatefulSet after a new token, keeping other annotations', async () => {
    await setUp();
    const result = await run({ restart: { kind: 'StatefulSet', name: 'mcp-hubspot' } });
    expect(calls()).toEqual([`GET ${ACCESS_PATH} 200`, `PATCH ${ACCESS_PATH} 200`, `GET ${STATEFULSET_PATH} 200`, `PATCH ${STATEFULSET_PATH} 200`]);
    const patch = kube.requests[3]!;
    expect(patch.contentType).toBe('application/merge-patch+json');
    expect(patch.body).toEqual({ spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-24T01:00:00Z' } } } } });
    const annotations = (kube.objects.get('statefulsets/mcp-hubspot') as unknown as { spec: { template: { metadata: { annotations: Record<string, string> } } } }).spec.template.metadata.annotations;
    expect(annotations).toEqual({ 'example.com/keep': 'yes', 'kubectl.kubernetes.io/restartedAt': '2026-11-24T01:00:00Z' });
    expect(result.restart).toBe('restarted');
  });

  it('restarts a Deployment the same way', async () => {
    await setUp();
    await run({ restart: { kind: 'Deployment', name: 'mcp-hubspot' } });
    expect(calls().slice(2)).toEqual([`GET ${DEPLOYMENT_PATH} 200`, `PATCH ${DEPLOYMENT_PATH} 200`]);
  });

  it('leaves a paused Deployment alone, as kubectl rollout restart does', async () => {
    await setUp();
    const deployment = kube.objects.get('deployments/mcp-hubspot')!;
    kube.objects.set('deployments/mcp-hubspot', { ...deployment, spec: { ...(deployment.spec as object), paused: true } });
    const result = await run({ restart: { kind: 'Deployment', name: 'mcp-hubspot' } });
    expect(calls().slice(2)).toEqual([`GET ${DEPLOYMENT_PATH} 200`]);
    expect(result.restart).toBe('skipped-paused');
  });

  it('explains a missing restart target (404)', async () => {
    await setUp();
    kube.objects.delete('statefulsets/mcp-hubspot');
    const error = await runFailing({ restart: { kind: 'StatefulSet', name: 'mcp-hubspot' } });
    expect(error.exitCode).toBe(EXIT_CODES.kubernetes);
    expect(error.message).toContain('StatefulSet "mcp-hubspot"');
    expect(error.message).toContain('RESTART_KIND and RESTART_NAME');
  });
});

describe('token endpoint failures', () => {
  it('invalid_grant fails at once with exit 3, says to re-authorise, and writes nothing', async () => {
    await setUp();
    tokens.revokeAll();
    const error = await runFailing();
    expect(error.exitCode).toBe(EXIT_CODES.invalidGrant);
    expect(error.message).toContain('re-authorise the HubSpot app');
    expect(error.message).toContain(`Secret "${CREDENTIALS_SECRET}"`);
    expect(tokens.requests).toHaveLength(1);
    expect(kube.requests).toEqual([]);
  });

  it('invalid_client fails at once with exit 3 and points at client-id and client-secret', async () => {
    await setUp({ clientSecret: 'another-secret' });
    const error = await runFailing();
    expect(error.exitCode).toBe(EXIT_CODES.invalidGrant);
    expect(error.message).toContain('client-id and client-secret');
  });

  it('retries a 500 with backoff and then succeeds', async () => {
    await setUp();
    tokens.script.push({ status: 500, body: { status: 'error', message: 'internal' } });
    await run();
    expect(tokens.requests).toHaveLength(2);
    expect(sleeper.delays).toEqual([375]); // 500 ms base, half fixed + half jitter (random 0.5)
    expect(kube.secretData(ACCESS_SECRET)?.['access-token']).toBe(tokens.issued[0]);
    expect(logger.events().find((e) => e.msg === 'token.retry')).toMatchObject({ attempt: 1, reason: 'status-500', delayMs: 375 });
  });

  it('honours Retry-After on 429 (bounded)', async () => {
    await setUp();
    tokens.script.push({ status: 429, headers: { 'retry-after': '2' }, body: { status: 'error', message: 'rate limited' } });
    tokens.script.push({ status: 429, headers: { 'retry-after': '3600' }, body: {} });
    await run();
    expect(tokens.requests).toHaveLength(3);
    expect(sleeper.delays).toEqual([2_000, 30_000]);
  });

  it('gives up after MAX_ATTEMPTS with exit 4', async () => {
    await setUp();
    for (let i = 0; i < 3; i++) tokens.script.push({ status: 503, body: {} });
    const error = await runFailing({ maxAttempts: 3 });
    expect(error.exitCode).toBe(EXIT_CODES.providerUnavailable);
    expect(error.message).toContain('after 3 attempts (last: status-503)');
    expect(tokens.requests).toHaveLength(3);
    expect(sleeper.delays).toEqual([375, 750]);
    expect(kube.requests).toEqual([]);
  });

  it('retries a refused connection and then fails with exit 4', async () => {
    await setUp();
    const closedUrl = tokens.url;
    await tokens.close(); // nothing listens on that port any more
    const error = await runFailing({ tokenUrl: closedUrl, maxAttempts: 2 });
    expect(error.exitCode).toBe(EXIT_CODES.providerUnavailable);
    expect(error.message).toContain('last: network-ECONNREFUSED');
    expect(sleeper.delays).toHaveLength(1);
  });

  it('times out a hanging endpoint (HTTP_TIMEOUT_MS) and retries', async () => {
    await setUp();
    tokens.script.push('hang');
    await run({ httpTimeoutMs: 200 });
    expect(tokens.requests).toHaveLength(2);
    expect(logger.events().find((e) => e.msg === 'token.request_failed')).toMatchObject({ attempt: 1, reason: 'timeout' });
    expect(kube.secretData(ACCESS_SECRET)?.['access-token']).toBe(tokens.issued[0]);
  });

  it('fails with exit 4 when every attempt hangs', async () => {
    await setUp();
    tokens.script.push('hang', 'hang');
    const error = await runFailing({ httpTimeoutMs: 150, maxAttempts: 2 });
    expect(error.exitCode).toBe(EXIT_CODES.providerUnavailable);
    expect(error.message).toContain('last: timeout');
  });

  it.each([
    ['an empty access_token', { access_token: '', expires_in: 1800 }],
    ['no expires_in', { access_token: 'at-x' }],
    ['a zero expires_in', { access_token: 'at-x', expires_in: 0 }],
    ['an empty refresh_token', { access_token: 'at-x', expires_in: 1800, refresh_token: '' }],
    ['a token with a space', { access_token: 'at x', expires_in: 1800 }],
  ])('rejects a 200 with %s (exit 4) and writes nothing', async (_name, body) => {
    await setUp();
    tokens.script.push({ status: 200, body });
    const error = await runFailing();
    expect(error.exitCode).toBe(EXIT_CODES.providerUnavailable);
    expect(error.message).toContain('unusable token response');
    expect(kube.requests).toEqual([]);
    expect(kube.secretData(ACCESS_SECRET)?.['access-token']).toBe('at-old');
  });
});

describe('Kubernetes failures', () => {
  it('re-reads and retries when a concurrent writer changes the Secret between GET and PATCH (409)', async () => {
    await setUp();
    let injected = false;
    kube.beforeAnswer = async (request) => {
      if (!injected && request.method === 'GET' && request.path === ACCESS_PATH) {
        injected = true;
        // Another writer replaces the Secret (a PUT with its resourceVersion, as `kubectl replace` does)
        // after our read and before our patch.
        const current = kube.objects.get(`secrets/${ACCESS_SECRET}`)!;
        const put = await fetch(`${kube.url}${ACCESS_PATH}`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${SA_TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify({ ...current, stringData: { 'concurrent-note': 'written meanwhile' } }),
        });
        expect(put.status).toBe(200);
      }
    };
    await run();
    expect(calls()).toEqual([
      `GET ${ACCESS_PATH} 200`,
      `PUT ${ACCESS_PATH} 200`, // the concurrent writer
      `PATCH ${ACCESS_PATH} 409`,
      `GET ${ACCESS_PATH} 200`,
      `PATCH ${ACCESS_PATH} 200`,
    ]);
    expect((kube.requests[2]!.body as { metadata: unknown }).metadata).toEqual({ resourceVersion: '1002' });
    expect((kube.requests[4]!.body as { metadata: unknown }).metadata).toEqual({ resourceVersion: '1003' });
    expect(kube.secretData(ACCESS_SECRET)).toEqual({
      'access-token': tokens.issued[0],
      'expires-at': '2026-11-24T01:30:00Z',
      'owner-note': 'kept',
      'concurrent-note': 'written meanwhile',
    });
    expect(sleeper.delays).toEqual([75]);
  });

  it('fails with exit 5 when every attempt conflicts', async () => {
    await setUp();
    kube.failNext({ method: 'PATCH', path: ACCESS_PATH }, 409, 2);
    const error = await runFailing({ maxAttempts: 2 });
    expect(error.exitCode).toBe(EXIT_CODES.kubernetes);
    expect(error.reason).toBe('conflict');
  });

  it('retries a 500 of the API server', async () => {
    await setUp();
    kube.failNext({ method: 'GET', path: ACCESS_PATH }, 500, 1);
    await run();
    expect(calls()).toEqual([`GET ${ACCESS_PATH} 500`, `GET ${ACCESS_PATH} 200`, `PATCH ${ACCESS_PATH} 200`]);
  });

  it('times out a hanging API server (HTTP_TIMEOUT_MS) and retries', async () => {
    await setUp();
    kube.failNext({ method: 'PATCH', path: ACCESS_PATH }, 'hang', 1);
    await run({ httpTimeoutMs: 200 });
    expect(calls()).toEqual([`GET ${ACCESS_PATH} 200`, `PATCH ${ACCESS_PATH} 0`, `GET ${ACCESS_PATH} 200`, `PATCH ${ACCESS_PATH} 200`]);
    expect(logger.events().find((e) => e.msg === 'kube.retry')).toMatchObject({ verb: 'patch', name: ACCESS_SECRET, reason: 'timeout' });
    expect(kube.secretData(ACCESS_SECRET)?.['access-token']).toBe(tokens.issued[0]);
  });

  it('explains a 403 as missing RBAC, naming verb, resource and name', async () => {
    await setUp();
    kube.rules = requiredPermissions(config()).map((p) => (p.resourceName === ACCESS_SECRET ? { ...p, verbs: ['get'] } : p));
    const error = await runFailing();
    expect(error.exitCode).toBe(EXIT_CODES.kubernetes);
    expect(error.reason).toBe('forbidden');
    expect(error.message).toContain('verb "patch" on apiGroup "" resource "secrets" with resourceNames ["hubspot-access-token"]');
    expect(calls()).toEqual([`GET ${ACCESS_PATH} 200`, `PATCH ${ACCESS_PATH} 403`]);
  });

  it('explains a missing Secret (404): create it at install time', async () => {
    await setUp();
    kube.objects.delete(`secrets/${ACCESS_SECRET}`);
    const error = await runFailing();
    expect(error.exitCode).toBe(EXIT_CODES.kubernetes);
    expect(error.message).toContain('create it at install time');
    expect(error.message).toContain('RBAC cannot allow "create" by resource name');
  });

  it('does not write the access token when a rotated refresh token cannot be saved', async () => {
    await setUp({ rotate: true });
    kube.rules = requiredPermissions(config()).map((p) => (p.resourceName === CREDENTIALS_SECRET ? { ...p, verbs: ['get'] } : p));
    const error = await runFailing();
    expect(error.exitCode).toBe(EXIT_CODES.kubernetes);
    expect(error.message).toContain('new refresh token that could not be saved');
    expect(calls()).toEqual([`GET ${CREDENTIALS_PATH} 200`, `PATCH ${CREDENTIALS_PATH} 403`]);
    expect(kube.secretData(ACCESS_SECRET)?.['access-token']).toBe('at-old');
  });

  it('needs exactly the permissions it declares (a Role of requiredPermissions suffices, with restart)', async () => {
    await setUp({ rotate: true });
    kube.putWorkload('statefulsets', { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'mcp-hubspot' }, spec: { template: {} } });
    const restartConfig = config({ restart: { kind: 'StatefulSet', name: 'mcp-hubspot' } });
    kube.rules = requiredPermissions(restartConfig);
    await run({ restart: restartConfig.restart });
    const used = new Set(kube.requests.map((r) => `${r.method === 'GET' ? 'get' : 'patch'} ${r.path.split('/').slice(-2).join('/')}`));
    const declared = new Set(kube.rules.flatMap((rule) => rule.verbs.map((verb) => `${verb} ${rule.resource}/${rule.resourceName}`)));
    expect(used).toEqual(declared);
  });
});

describe('a rotated refresh token is never lost (issue 19, item 7)', () => {
  it('a 200 whose body breaks off is not retried with the old refresh token: one grant, exit 4, what to do, nothing written', async () => {
    // The stand-in rotates: after the cut answer only the token inside it is valid, and the old one is refused.
    await setUp({ rotate: true });
    tokens.script.push('cut-body');
    const error = await runFailing();
    expect(tokens.requests).toHaveLength(1);
    expect(error.exitCode).toBe(EXIT_CODES.providerUnavailable);
    expect(error.reason).toBe('token-response-unreadable');
    expect(error.message).toMatch(/answered 200 but its body could not be read/);
    expect(error.message).toContain('not retried with the old one');
    expect(error.message).toContain('if that run ends with exit 3 (invalid_grant), re-authorise the app');
    expect(error.message).toContain(`credentials Secret "${CREDENTIALS_SECRET}" in namespace "${NAMESPACE}"`);
    expect(kube.requests).toEqual([]);
  });

  it('a 200 whose body is not JSON is not retried either, with the same advice', async () => {
    await setUp({ rotate: true });
    tokens.script.push({ status: 200, body: '{"access_token": "at-cut' });
    const error = await runFailing();
    expect(tokens.requests).toHaveLength(1);
    expect(error.reason).toBe('token-response-unreadable');
    expect(error.message).toContain('re-authorise the app');
  });

  it('an error answer cut short is still retried (it carried no tokens)', async () => {
    await setUp();
    tokens.script.push({ status: 503, body: 'x' });
    await run();
    expect(tokens.requests).toHaveLength(2);
  });

  it('a stop requested before the token request ends the run there: exit 6, no grant, nothing written', async () => {
    await setUp({ rotate: true });
    const guard = createRunGuard({ log: logger.log, exit: () => undefined });
    guard.request('SIGTERM');
    const error = await runFailing({}, guard);
    expect(error.exitCode).toBe(EXIT_CODES.interrupted);
    expect(error.message).toContain('before asking for tokens: nothing changed');
    expect(tokens.requests).toEqual([]);
    expect(kube.requests).toEqual([]);
  });

  it('a stop requested while the tokens are being saved lets both saves finish, then skips the restart (exit 6, says so)', async () => {
    await setUp({ rotate: true });
    const template = { metadata: {}, spec: { containers: [{ name: 'app', image: 'x' }] } };
    kube.putWorkload('statefulsets', { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'mcp-hubspot' }, spec: { template } });
    const guard = createRunGuard({ log: logger.log, exit: () => undefined });
    kube.beforeAnswer = (request) => {
      if (request.method === 'GET' && request.path === CREDENTIALS_PATH) guard.request('SIGTERM');
    };
    const error = await runFailing({ restart: { kind: 'StatefulSet', name: 'mcp-hubspot' } }, guard);
    const [rotated] = [...tokens.validRefreshTokens];
    expect(kube.secretData(CREDENTIALS_SECRET)?.['refresh-token']).toBe(rotated);
    expect(kube.secretData(ACCESS_SECRET)?.['access-token']).toBe(tokens.issued[0]);
    expect(calls()).not.toContain(`PATCH ${STATEFULSET_PATH} 200`);
    expect(error.exitCode).toBe(EXIT_CODES.interrupted);
    expect(error.message).toContain('the restart of StatefulSet "mcp-hubspot" was skipped; the next scheduled run restarts it');
    expect(logger.events().find((e) => e.msg === 'shutdown.deferred')).toMatchObject({ signal: 'SIGTERM', saving: expect.stringContaining('new refresh token') });
  });

  it('when saving does not finish within the grace period, stops with exit 6, naming what was lost and what to do', async () => {
    const { log, events } = capturingLogger();
    const exits: number[] = [];
    const guard = createRunGuard({ log, graceMs: 50, exit: (code) => exits.push(code) });
    guard.hold({ what: 'the new refresh token (for the credentials Secret "c")', remedy: 'then re-authorise the app' });
    guard.request('SIGTERM');
    await vi.waitFor(() => expect(exits).toEqual([EXIT_CODES.interrupted]), { timeout: 10_000 });
    expect(events().at(-1)).toMatchObject({
      level: 'error',
      msg: 'refresh.failed',
      reason: 'interrupted',
      message: 'stopped by SIGTERM before the new refresh token (for the credentials Secret "c") was saved (50 ms after the signal); then re-authorise the app',
    });
  });

  it('once everything is saved the grace timer is dropped', async () => {
    const { log } = capturingLogger();
    const exits: number[] = [];
    const guard = createRunGuard({ log, graceMs: 50, exit: (code) => exits.push(code) });
    guard.hold({ what: 'x', remedy: 'y' });
    guard.request('SIGTERM');
    guard.hold(undefined);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(exits).toEqual([]);
  });
});
