/** The provider interface and HubSpot's reading of token endpoint answers (pure functions, no network). */
import { describe, expect, it } from 'vitest';
import { PROVIDERS, getProvider } from '../src/providers/index.ts';
import { formRefreshRequest, readTokenSet } from '../src/providers/oauth2.ts';
import { RefreshError } from '../src/errors.ts';

const NOW = new Date('2026-11-24T01:00:00Z');
const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
  status,
  headers: new Headers(headers),
  body: typeof body === 'string' ? body : JSON.stringify(body),
});
const hubspot = getProvider('hubspot');

describe('providers', () => {
  it('knows hubspot and refuses an unknown name with a config error', () => {
    expect(Object.keys(PROVIDERS)).toEqual(['hubspot']);
    expect(hubspot.defaultTokenUrl).toBe('https://api.hubapi.com/oauth/2026-03/token');
    expect(() => getProvider('salesforce')).toThrow(RefreshError);
    expect(() => getProvider('salesforce')).toThrow('known: hubspot');
  });

  it('builds a form-encoded refresh-token grant with the client in the body', () => {
    const request = formRefreshRequest({ clientId: 'id', clientSecret: 's&=x', refreshToken: 'r t' });
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded;charset=UTF-8');
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({ grant_type: 'refresh_token', client_id: 'id', client_secret: 's&=x', refresh_token: 'r t' });
  });
});

describe('hubspot.interpret', () => {
  it('accepts a complete answer (numeric or digit-string expires_in)', () => {
    expect(hubspot.interpret(answer(200, { access_token: 'a'.repeat(400), refresh_token: 'r', expires_in: 1800, token_type: 'bearer' }), NOW)).toEqual({
      kind: 'tokens',
      tokens: { accessToken: 'a'.repeat(400), refreshToken: 'r', expiresInSeconds: 1800 },
    });
    expect(readTokenSet({ access_token: 'a', expires_in: '60' })).toEqual({ accessToken: 'a', expiresInSeconds: 60 });
    expect(readTokenSet({ accessToken: 'a', expiresIn: 1800, refreshToken: 'r' })).toEqual({ accessToken: 'a', expiresInSeconds: 1800, refreshToken: 'r' });
  });

  it.each([
    [{ error: 'invalid_grant', error_description: 'revoked' }, 'invalid_grant'],
    [{ status: 'BAD_REFRESH_TOKEN', message: 'missing or invalid refresh token' }, 'invalid_grant'],
    [{ error: 'BAD_REFRESH_TOKEN' }, 'invalid_grant'],
    [{ error: 'invalid_client' }, 'invalid_client'],
  ])('reads %o as a refused grant', (body, error) => {
    expect(hubspot.interpret(answer(400, body), NOW)).toMatchObject({ kind: 'rejected', error });
  });

  it('retries 408, 429 and 5xx, reading Retry-After as seconds or an HTTP date', () => {
    expect(hubspot.interpret(answer(429, {}, { 'retry-after': '7' }), NOW)).toEqual({ kind: 'retryable', reason: 'status-429', retryAfterMs: 7000 });
    expect(hubspot.interpret(answer(503, 'upstream down', { 'retry-after': 'Tue, 24 Nov 2026 01:00:05 GMT' }), NOW)).toEqual({
      kind: 'retryable',
      reason: 'status-503',
      retryAfterMs: 5000,
    });
    expect(hubspot.interpret(answer(408, ''), NOW)).toMatchObject({ kind: 'retryable', retryAfterMs: undefined });
  });

  it('fails other answers without retrying', () => {
    expect(hubspot.interpret(answer(400, { error: 'invalid_request' }), NOW)).toEqual({ kind: 'failed', reason: 'status 400 (invalid_request)' });
    expect(hubspot.interpret(answer(200, '<html>'), NOW)).toEqual({ kind: 'failed', reason: 'status 200 without a JSON object body' });
    expect(hubspot.interpret(answer(200, { access_token: 'a', expires_in: -5 }), NOW)).toMatchObject({ kind: 'failed' });
  });
});
