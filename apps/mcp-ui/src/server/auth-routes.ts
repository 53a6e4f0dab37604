import type { IncomingMessage, ServerResponse } from 'node:http';
import * as client from 'openid-client';
import type { UiContext } from './context.ts';
import { isSameOriginRequest, tokensMatch } from './csrf.ts';
import { addCookies, readSmallBody, redirect, sendMessagePage } from './http.ts';
import { describeError } from './errors.ts';
import { newCsrfToken, type Session } from './session.ts';

const DEFAULT_RETURN_TO = '/ui/';

/** Only paths of the page itself are accepted as a place to return to (no open redirect). */
export function safeReturnTo(value: string | null): string {
  if (!value || !/^\/ui(\/[A-Za-z0-9._~\/?=&%#-]*)?$/.test(value) || value.includes('//') || value.includes('\\')) return DEFAULT_RETURN_TO;
  return value;
}

function claimString(claims: Record<string, unknown> | undefined, name: string): string | undefined {
  const value = claims?.[name];
  return typeof value === 'string' && value ? value : undefined;
}

/** GET /auth/login: starts authorization code + PKCE (S256), keeping state, nonce and verifier in a sealed short-lived cookie. */
export async function handleLogin(ctx: UiContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const state = client.randomState();
  const nonce = client.randomNonce();
  const codeVerifier = client.randomPKCECodeVerifier();
  let authorizationUrl: URL;
  try {
    authorizationUrl = await ctx.oidc.authorizationUrl({ state, nonce, codeChallenge: await client.calculatePKCECodeChallenge(codeVerifier) });
  } catch (error) {
    ctx.log.error(describeError(error), 'sign-in provider unavailable');
    sendMessagePage(res, 503, 'Sign-in is unavailable', 'The identity provider could not be reached. Try again in a moment.');
    return;
  }
  addCookies(res, [ctx.sessions.writeFlow({ state, nonce, codeVerifier, returnTo: safeReturnTo(url.searchParams.get('returnTo')) })]);
  redirect(res, authorizationUrl.href);
}

/** GET /auth/callback: checks state, nonce and PKCE, redeems the code, and starts the session. */
export async function handleCallback(ctx: UiContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const flow = ctx.sessions.readFlow(req);
  addCookies(res, [ctx.sessions.clearFlow()]);
  if (!flow) {
    sendMessagePage(res, 400, 'Sign-in expired', 'This sign-in was not started here, was started in another tab, or took too long.');
    return;
  }
  const providerError = url.searchParams.get('error');
  if (providerError) {
    const description = (url.searchParams.get('error_description') ?? '').slice(0, 300);
    ctx.log.warn({ oauthError: providerError.slice(0, 100) }, 'sign-in refused by the provider');
    sendMessagePage(res, 401, 'Sign-in was refused', `${providerError}${description ? `: ${description}` : ''}`);
    return;
  }
  let session: Session;
  try {
    const tokens = await ctx.oidc.exchangeCode(new URL(`/auth/callback${url.search}`, ctx.config.publicUrl), flow);
    const sub = claimString(tokens.claims, 'sub');
    if (!sub) throw new Error('the ID token has no sub');
    const email = claimString(tokens.claims, 'email') ?? claimString(tokens.claims, 'preferred_username');
    const name = claimString(tokens.claims, 'name');
    const loginHint = claimString(tokens.claims, 'login_hint');
    session = {
      sub,
      ...(name ? { name } : {}),
      ...(email ? { email } : {}),
      ...(loginHint ? { loginHint } : {}),
      accessToken: tokens.accessToken,
      expiresAt: tokens.expiresAt,
      ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
      csrf: newCsrfToken(),
      createdAt: ctx.config.now(),
    };
  } catch (error) {
    ctx.log.warn(describeError(error), 'sign-in failed');
    sendMessagePage(res, 400, 'Sign-in failed', 'The sign-in response could not be verified. Try again.');
    return;
  }
  addCookies(res, await ctx.sessions.start(req, session));
  ctx.log.info({ sub: session.sub }, 'signed in');
  redirect(res, flow.returnTo);
}

/**
 * POST /auth/logout (a form on the page, with the csrf field): ends the session here, then at the provider
 * (RP-initiated logout) when it advertises an end_session_endpoint.
 */
export async function handleLogout(ctx: UiContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const session = (await ctx.sessions.read(req))?.session;
  let form: URLSearchParams;
  try {
    form = new URLSearchParams(await readSmallBody(req));
  } catch {
    sendMessagePage(res, 413, 'Sign-out failed', 'The request was too large.');
    return;
  }
  if (!isSameOriginRequest(req, ctx.config.publicUrl.origin) || (session && !tokensMatch(form.get('csrf') ?? undefined, session.csrf))) {
    sendMessagePage(res, 403, 'Sign-out refused', 'The sign-out request did not come from this page.');
    return;
  }
  // The record is deleted from the shared store: the old cookie then opens nothing on any replica (ASVS V3.3.1).
  // If the store cannot be reached the session lives on, and the page must not pretend otherwise.
  try {
    addCookies(res, await ctx.sessions.end(req));
  } catch (error) {
    ctx.log.error(describeError(error), 'sign-out failed: session store unavailable');
    sendMessagePage(res, 503, 'Sign-out failed', 'Your session could not be ended just now; it is still active. Try again in a moment.');
    return;
  }
  const home = new URL(DEFAULT_RETURN_TO, ctx.config.publicUrl).href;
  let target = home;
  if (session) {
    ctx.log.info({ sub: session.sub }, 'signed out');
    try {
      target = (await ctx.oidc.endSessionUrl({ postLogoutRedirectUri: home, ...(session.loginHint ? { logoutHint: session.loginHint } : {}) }))?.href ?? home;
    } catch (error) {
      ctx.log.warn(describeError(error), 'provider sign-out unavailable; signed out locally');
    }
  }
  redirect(res, target, 303);
}
