/** Configuration: the contract's variables, their validation, and the credential files. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ENV_VARIABLES, loadConfig, readCredentials } from '../src/config.ts';
import { EXIT_CODES, RefreshError } from '../src/errors.ts';
import { CLIENT_ID, CLIENT_SECRET, credentialsDir, REFRESH_TOKEN, removeDir } from './helpers.ts';

const RENDERED = {
  TOKEN_PROVIDER: 'hubspot',
  TOKEN_URL: 'https://api.hubapi.com/oauth/2026-03/token',
  CREDENTIALS_DIR: '/var/run/secrets/oauth-credentials',
  CREDENTIALS_SECRET_NAME: 'hubspot-oauth-credentials',
  ACCESS_TOKEN_SECRET_NAME: 'hubspot-access-token',
  POD_NAMESPACE: 'agentgateway-system',
  HTTP_TIMEOUT_MS: '10000',
  MAX_ATTEMPTS: '5',
};

function configError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(RefreshError);
    expect((error as RefreshError).exitCode).toBe(EXIT_CODES.config);
    return (error as Error).message;
  }
  throw new Error('expected a configuration error');
}

describe('loadConfig', () => {
  it('reads the rendered environment', () => {
    expect(loadConfig(RENDERED)).toEqual({
      provider: 'hubspot',
      tokenUrl: 'https://api.hubapi.com/oauth/2026-03/token',
      credentialsDir: '/var/run/secrets/oauth-credentials',
      credentialsSecretName: 'hubspot-oauth-credentials',
      accessTokenSecretName: 'hubspot-access-token',
      namespace: 'agentgateway-system',
      restart: undefined,
      httpTimeoutMs: 10_000,
      maxAttempts: 5,
    });
  });

  it('reads the restart target when both variables are set', () => {
    expect(loadConfig({ ...RENDERED, RESTART_KIND: 'StatefulSet', RESTART_NAME: 'mcp-hubspot' }).restart).toEqual({ kind: 'StatefulSet', name: 'mcp-hubspot' });
  });

  it('uses the documented defaults for optional variables', () => {
    const { TOKEN_PROVIDER: _p, TOKEN_URL: _u, HTTP_TIMEOUT_MS: _t, MAX_ATTEMPTS: _m, ...required } = RENDERED;
    expect(loadConfig(required)).toMatchObject({ provider: 'hubspot', tokenUrl: undefined, httpTimeoutMs: 10_000, maxAttempts: 5 });
    expect(ENV_VARIABLES.filter((v) => v.required).map((v) => v.name)).toEqual(Object.keys(required));
  });

  it('lists every problem at once', () => {
    const message = configError({ HTTP_TIMEOUT_MS: 'soon', MAX_ATTEMPTS: '0', RESTART_KIND: 'StatefulSet' });
    for (const part of [
      'CREDENTIALS_DIR is required',
      'CREDENTIALS_SECRET_NAME is required',
      'ACCESS_TOKEN_SECRET_NAME is required',
      'POD_NAMESPACE is required',
      'RESTART_KIND and RESTART_NAME must be set together',
      'HTTP_TIMEOUT_MS must be an integer',
      'MAX_ATTEMPTS must be an integer from 1 to 10',
    ]) {
      expect(message).toContain(part);
    }
  });

  it.each([
    [{ RESTART_KIND: 'DaemonSet', RESTART_NAME: 'x' }, 'RESTART_KIND must be one of StatefulSet, Deployment'],
    [{ RESTART_KIND: 'Deployment', RESTART_NAME: 'Not_A_Name' }, 'RESTART_NAME "Not_A_Name" is not a valid Kubernetes name'],
    [{ TOKEN_URL: 'http://api.hubapi.com/oauth/2026-03/token' }, 'TOKEN_URL must use https'],
    [{ TOKEN_URL: 'not a url' }, 'TOKEN_URL "not a url" is not a URL'],
    [{ ACCESS_TOKEN_SECRET_NAME: 'hubspot-oauth-credentials' }, 'must name different Secrets'],
    [{ POD_NAMESPACE: 'Agent.Gateway' }, 'POD_NAMESPACE "Agent.Gateway" is not a valid Kubernetes name'],
  ])('rejects %o', (change, expected) => {
    expect(configError({ ...RENDERED, ...change })).toContain(expected);
  });

  it('allows plain http only on loopback (tests, port-forwards)', () => {
    expect(loadConfig({ ...RENDERED, TOKEN_URL: 'http://127.0.0.1:8080/oauth/v1/token' }).tokenUrl).toBe('http://127.0.0.1:8080/oauth/v1/token');
  });
});

describe('readCredentials', () => {
  let dir = '';
  afterEach(async () => removeDir(dir));

  it('reads the three files and trims the trailing newline', async () => {
    dir = await credentialsDir();
    expect(await readCredentials(dir)).toEqual({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, refreshToken: REFRESH_TOKEN });
  });

  it('names a missing or empty file, never a value', async () => {
    dir = await credentialsDir({ 'client-secret': '\n' });
    await writeFile(join(dir, 'refresh-token'), '');
    const error = await readCredentials(dir).then(
      () => undefined,
      (e: unknown) => e as RefreshError,
    );
    expect(error?.exitCode).toBe(EXIT_CODES.config);
    expect(error?.message).toContain(`${join(dir, 'client-secret')} is empty`);
    expect(error?.message).toContain(`${join(dir, 'refresh-token')} is empty`);
    expect(error?.message).not.toContain(CLIENT_ID);
  });

  it('says which key is missing from the mounted Secret', async () => {
    dir = await credentialsDir();
    const error = await readCredentials(join(dir, 'nowhere')).catch((e: unknown) => e as Error);
    expect((error as Error).message).toContain('does not exist (key "client-id" missing from the credentials Secret?)');
  });
});
