/**
 * The program as the CronJob runs it: `node apps/token-refresh/src/index.ts` in a child process, with the
 * contract's environment, credential files in a temp directory, and a kubeconfig file (KUBECONFIG, the
 * by-hand override of the in-cluster config) pointing at the loopback Kubernetes API stand-in
 * (@mcp-gateway/stand-ins/kube-api); the token endpoint is the loopback HubSpot stand-in (@mcp-gateway/stand-ins/token-endpoint).
 * Checks exit codes, the Secrets' final contents, JSON-lines output, and that no token is printed.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../src/errors.ts';
import { CLIENT_ID, CLIENT_SECRET, credentialsDir, NAMESPACE, REFRESH_TOKEN, removeDir, SA_TOKEN } from './helpers.ts';
import { type KubeApi, startKubeApi } from '@mcp-gateway/stand-ins/kube-api';
import { startTokenEndpoint, type TokenEndpoint } from '@mcp-gateway/stand-ins/token-endpoint';

const ENTRY = fileURLToPath(new URL('../src/index.ts', import.meta.url));

let kube: KubeApi;
let tokens: TokenEndpoint;
let dir: string;
let env: Record<string, string>;

beforeEach(async () => {
  kube = await startKubeApi({ namespace: NAMESPACE, token: SA_TOKEN });
  kube.putSecret('hubspot-oauth-credentials', { 'client-id': CLIENT_ID, 'client-secret': CLIENT_SECRET, 'refresh-token': REFRESH_TOKEN });
  kube.putSecret('hubspot-access-token', {});
  tokens = await startTokenEndpoint({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, refreshToken: REFRESH_TOKEN, rotate: true });
  dir = await credentialsDir();
  const kubeconfig = join(dir, 'kubeconfig.json');
  await writeFile(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      // Plain http on loopback: the client allows it only with TLS verification switched off.
      clusters: [{ name: 'stand-in', cluster: { server: kube.url, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'refresher', user: { token: SA_TOKEN } }],
      contexts: [{ name: 'stand-in', context: { cluster: 'stand-in', user: 'refresher', namespace: NAMESPACE } }],
      'current-context': 'stand-in',
    }),
  );
  env = {
    PATH: process.env.PATH ?? '',
    KUBECONFIG: kubeconfig,
    TOKEN_PROVIDER: 'hubspot',
    TOKEN_URL: tokens.url,
    CREDENTIALS_DIR: dir,
    CREDENTIALS_SECRET_NAME: 'hubspot-oauth-credentials',
    ACCESS_TOKEN_SECRET_NAME: 'hubspot-access-token',
    POD_NAMESPACE: NAMESPACE,
    HTTP_TIMEOUT_MS: '5000',
    MAX_ATTEMPTS: '1',
  };
});

afterEach(async () => {
  await tokens.close();
  await kube.close();
  await removeDir(dir);
});

function runProgram(environment: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [ENTRY], { env: environment, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

function expectNoSecrets(output: string): void {
  for (const secret of [CLIENT_SECRET, REFRESH_TOKEN, ...tokens.issued, ...tokens.validRefreshTokens]) expect(output).not.toContain(secret);
}

function jsonLines(output: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('node apps/token-refresh/src/index.ts', () => {
  it('exits 0 after writing both Secrets, and prints JSON lines without any token', async () => {
    const { code, stdout, stderr } = await runProgram(env);
    expect(stderr).toBe('');
    expect(code).toBe(EXIT_CODES.ok);
    const [newRefreshToken] = [...tokens.validRefreshTokens];
    expect(kube.secretData('hubspot-oauth-credentials')?.['refresh-token']).toBe(newRefreshToken);
    expect(kube.secretData('hubspot-access-token')?.['access-token']).toBe(tokens.issued[0]);
    expect(kube.secretData('hubspot-access-token')?.['expires-at']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const events = jsonLines(stdout).map((line) => line.msg);
    expect(events[0]).toBe('refresh.start');
    expect(events.at(-1)).toBe('refresh.done');
    expectNoSecrets(stdout + stderr);
  });

  it('exits 3 on invalid_grant and tells the operator to re-authorise', async () => {
    tokens.revokeAll();
    const { code, stdout, stderr } = await runProgram(env);
    expect(code).toBe(EXIT_CODES.invalidGrant);
    const [failure] = jsonLines(stderr);
    expect(failure).toMatchObject({ level: 'error', msg: 'refresh.failed', reason: 'invalid_grant', exitCode: 3 });
    expect(String(failure?.message)).toContain('re-authorise the HubSpot app');
    expect(kube.requests).toEqual([]);
    expectNoSecrets(stdout + stderr);
  });

  it('exits 2 naming every missing variable', async () => {
    const { POD_NAMESPACE: _ns, CREDENTIALS_SECRET_NAME: _cs, ...partial } = env;
    const { code, stderr } = await runProgram(partial);
    expect(code).toBe(EXIT_CODES.config);
    const [failure] = jsonLines(stderr);
    expect(String(failure?.message)).toContain('POD_NAMESPACE is required');
    expect(String(failure?.message)).toContain('CREDENTIALS_SECRET_NAME is required');
    expect(tokens.requests).toEqual([]);
  });

  it('exits 2 outside a cluster without KUBECONFIG', async () => {
    const { KUBECONFIG: _k, ...partial } = env;
    const { code, stderr } = await runProgram(partial);
    expect(code).toBe(EXIT_CODES.config);
    expect(stderr).toContain('KUBERNETES_SERVICE_HOST is unset');
  });

  it('exits 5 when the Role lacks a permission, naming it', async () => {
    kube.rules = [];
    const { code, stdout, stderr } = await runProgram(env);
    expect(code).toBe(EXIT_CODES.kubernetes);
    expect(stderr).toContain('verb \\"get\\" on apiGroup \\"\\" resource \\"secrets\\" with resourceNames [\\"hubspot-oauth-credentials\\"]');
    expectNoSecrets(stdout + stderr);
  });
});

/** The program as a child process whose output is watched line by line, so a test can signal it mid-run. */
function startProgram(environment: Record<string, string>) {
  const child: ChildProcess = spawn(process.execPath, [ENTRY], { env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters: { event: string; resolve: () => void }[] = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const waiter of waiters) if (stdout.includes(`"msg":"${waiter.event}"`)) waiter.resolve();
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    exited,
    output: () => ({ stdout, stderr }),
    /** Resolves when the event is logged or the program has exited, whichever comes first. */
    logged: (event: string) => Promise.race([new Promise<void>((resolve) => waiters.push({ event, resolve })), exited.then(() => undefined)]),
  };
}

describe('SIGTERM mid-run (the Job deadline, a drain): the rotated refresh token is kept', () => {
  it('after the token endpoint answered, while the credentials Secret is being written: both Secrets are written, exit 0', async () => {
    const program = startProgram({ ...env, MAX_ATTEMPTS: '3' });
    kube.beforeAnswer = async (request) => {
      if (request.method !== 'GET' || !request.path.endsWith('/secrets/hubspot-oauth-credentials')) return;
      program.child.kill('SIGTERM');
      await program.logged('shutdown.deferred');
    };
    const { code, signal } = await program.exited;
    const { stdout, stderr } = program.output();
    const [rotated] = [...tokens.validRefreshTokens];
    expect(rotated).not.toBe(REFRESH_TOKEN);
    expect({ code, signal }).toEqual({ code: EXIT_CODES.ok, signal: null });
    expect(kube.secretData('hubspot-oauth-credentials')?.['refresh-token']).toBe(rotated);
    expect(kube.secretData('hubspot-access-token')?.['access-token']).toBe(tokens.issued[0]);
    expect(jsonLines(stdout).map((line) => line.msg)).toEqual(expect.arrayContaining(['shutdown.deferred', 'refresh_token.saved', 'refresh.done']));
    expectNoSecrets(stdout + stderr);
  });

  it('while the token endpoint is answering (the grant is done, the answer not yet sent): the answer is awaited and saved', async () => {
    const program = startProgram(env);
    tokens.beforeAnswer = async () => {
      program.child.kill('SIGTERM');
      await program.logged('shutdown.deferred');
    };
    const { code } = await program.exited;
    const [rotated] = [...tokens.validRefreshTokens];
    expect(code).toBe(EXIT_CODES.ok);
    expect(kube.secretData('hubspot-oauth-credentials')?.['refresh-token']).toBe(rotated);
    expectNoSecrets(program.output().stdout + program.output().stderr);
  });
});
