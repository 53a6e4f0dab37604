/**
 * Stands in for HubSpot's OAuth token endpoint (`POST /oauth/2026-03/token`, and the legacy
 * `/oauth/v1/token` with the same form). It follows the documented contract: form-encoded
 * `grant_type=refresh_token` with client_id, client_secret and refresh_token in the body; a JSON answer
 * with access_token, refresh_token, expires_in (1800), token_type "bearer"; RFC 6749 errors
 * (400 `invalid_grant` plus HubSpot's legacy `status: BAD_REFRESH_TOKEN`). Tests script failures in
 * front of the normal behaviour: a status with headers and body, a hang that never answers, or `cut-body`: the
 * grant is carried out (a rotated refresh token replaces the old one) but the connection breaks halfway through
 * the 200's body. `beforeAnswer` runs after a grant is carried out and before its answer is sent.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody, sendJson } from './http.ts';

/** One request as the endpoint saw it. */
export interface RecordedTokenRequest {
  method: string;
  path: string;
  contentType: string | undefined;
  form: Record<string, string>;
}

/** A scripted answer used before the normal behaviour. */
export type ScriptedAnswer = { status: number; headers?: Record<string, string>; body?: unknown } | 'hang' | 'cut-body';

export interface TokenEndpointOptions {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  /** Issue a new refresh token on each refresh and invalidate the old one. */
  rotate?: boolean;
  /** Answer this access token instead of a fresh one (to model an unchanged token). */
  fixedAccessToken?: string;
  expiresIn?: number;
}

export interface TokenEndpoint {
  url: string;
  legacyUrl: string;
  requests: RecordedTokenRequest[];
  /** Answers used, in order, before the normal behaviour. */
  script: ScriptedAnswer[];
  /** Access tokens issued so far. */
  issued: string[];
  /** Currently valid refresh tokens. */
  validRefreshTokens: Set<string>;
  /** Models an uninstalled app: every refresh token becomes invalid. */
  revokeAll(): void;
  /** Awaited after a grant is carried out, before its answer goes out (a test sends a signal here). */
  beforeAnswer: (() => Promise<void> | void) | undefined;
  close(): Promise<void>;
}

const PATHS = new Set(['/oauth/2026-03/token', '/oauth/v1/token']);

function token(prefix: string): string {
  // HubSpot tokens vary in length and can exceed 300 characters.
  return `${prefix}-${randomBytes(48).toString('base64url')}`;
}



export async function startTokenEndpoint(options: TokenEndpointOptions): Promise<TokenEndpoint> {
  const requests: RecordedTokenRequest[] = [];
  const script: ScriptedAnswer[] = [];
  const issued: string[] = [];
  const validRefreshTokens = new Set([options.refreshToken]);
  const endpoint = { beforeAnswer: undefined } as TokenEndpoint;

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const text = await readBody(request);
    const contentType = request.headers['content-type'];
    const form = Object.fromEntries(new URLSearchParams(text));
    requests.push({ method: request.method ?? '', path, contentType, form });

    const scripted = script.shift();
    if (scripted === 'hang') return; // never answer; the client's timeout must fire
    if (scripted && scripted !== 'cut-body') return sendJson(response, scripted.status, scripted.body ?? {}, scripted.headers);

    if (!PATHS.has(path)) return sendJson(response, 404, { status: 'error', message: 'not found' });
    if (request.method !== 'POST') return sendJson(response, 405, { status: 'error', message: 'method not allowed' });
    if (!contentType?.startsWith('application/x-www-form-urlencoded')) {
      return sendJson(response, 415, { error: 'invalid_request', error_description: 'expected application/x-www-form-urlencoded' });
    }
    if (form.grant_type !== 'refresh_token') return sendJson(response, 400, { error: 'unsupported_grant_type' });
    if (form.client_id !== options.clientId || form.client_secret !== options.clientSecret) {
      return sendJson(response, 400, { error: 'invalid_client', error_description: 'client authentication failed' });
    }
    if (!form.refresh_token || !validRefreshTokens.has(form.refresh_token)) {
      return sendJson(response, 400, {
        error: 'invalid_grant',
        error_description: 'missing or invalid refresh token',
        status: 'BAD_REFRESH_TOKEN',
        message: 'missing or invalid refresh token',
      });
    }
    let refreshToken = form.refresh_token;
    if (options.rotate) {
      validRefreshTokens.delete(refreshToken);
      refreshToken = token('rt');
      validRefreshTokens.add(refreshToken);
    }
    const accessToken = options.fixedAccessToken ?? token('at');
    issued.push(accessToken);
    const answer = {
      token_type: 'bearer',
      access_token: accessToken,
      refresh_token: refreshToken,
      expires_in: options.expiresIn ?? 1800,
      hub_id: 12345678,
      scopes: ['crm.objects.contacts.read', 'oauth'],
    };
    await endpoint.beforeAnswer?.();
    if (scripted === 'cut-body') {
      const text = JSON.stringify(answer);
      response.writeHead(200, { 'content-type': 'application/json;charset=utf-8', 'content-length': Buffer.byteLength(text) });
      response.write(text.slice(0, 20), () => response.destroy());
      return;
    }
    sendJson(response, 200, answer);
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => sendJson(response, 500, { error: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  Object.assign(endpoint, {
    url: `http://127.0.0.1:${port}/oauth/2026-03/token`,
    legacyUrl: `http://127.0.0.1:${port}/oauth/v1/token`,
    requests,
    script,
    issued,
    validRefreshTokens,
    revokeAll: () => validRefreshTokens.clear(),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
  return endpoint;
}
