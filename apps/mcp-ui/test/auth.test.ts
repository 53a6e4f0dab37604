/**
 * Sign-in, session cookie, refresh, CSRF and sign-out against a real OpenID provider (oidc-provider standing in
 * for Entra ID) with the UI behind the gateway stand-in, exactly as the browser reaches it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from './support/agent.ts';
import { me, signIn } from './support/sign-in.ts';
import { API_SCOPE, CLIENT_ID, startStack, type Stack } from './support/stack.ts';
import { TEST_USER } from './support/oidc-provider.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const sessionCookieNames = (agent: Agent, stack: Stack) => [...agent.cookiesFor(stack.publicUrl).keys()].filter((n) => n.startsWith('mcpui-session'));

describe('sign-in', () => {
  it('redirects to the provider with PKCE S256, state, nonce and the configured scopes', async () => {
    const agent = new Agent();
    const response = await agent.request(new URL('/auth/login?returnTo=/ui/%23mcp-example', stack.publicUrl));
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!);
    expect(location.origin).toBe(new URL(stack.provider.issuer).origin);
    const params = location.searchParams;
    expect(params.get('response_type')).toBe('code');
    expect(params.get('client_id')).toBe(CLIENT_ID);
    expect(params.get('redirect_uri')).toBe(new URL('/auth/callback', stack.publicUrl).href);
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.get('state')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(params.get('nonce')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(params.get('scope')?.split(' ')).toEqual(['openid', 'profile', 'email', 'offline_access', API_SCOPE]);
    // The flow state is in a sealed HttpOnly cookie, not in the URL.
    const setCookie = response.headers.getSetCookie().join('\n');
    expect(setCookie).toMatch(/mcpui-flow=v1\.[A-Za-z0-9_-]+; Path=\/; Max-Age=600; HttpOnly; SameSite=Lax/);
    expect(setCookie).not.toContain(params.get('state')!);
  });

  it('completes the callback, sets the session cookie and returns to the page', async () => {
    const agent = new Agent();
    const hops = await signIn(agent, stack.publicUrl, '/ui/#mcp-example');
    const callback = hops.find((hop) => hop.url.pathname === '/auth/callback')!;
    expect(callback.status).toBe(302);
    expect(callback.headers.get('location')).toBe('/ui/#mcp-example');
    const cookies = callback.headers.getSetCookie();
    // The cookie is an opaque random id; the tokens stay in the server's session store.
    expect(cookies.some((c) => /^mcpui-session=[A-Za-z0-9_-]{43}; /.test(c) && c.includes('HttpOnly') && c.includes('SameSite=Lax'))).toBe(true);
    expect(cookies.some((c) => /^mcpui-flow=;/.test(c))).toBe(true);
    // No token in what the browser can read: the cookie is opaque and the page's API never returns one.
    const who = await me(agent, stack.publicUrl);
    expect(who.status).toBe(200);
    expect(who.body).toMatchObject({ signedIn: true, name: TEST_USER.name, email: TEST_USER.email });
    expect(typeof who.body.csrfToken).toBe('string');
    const text = JSON.stringify(who.body);
    for (const token of stack.provider.issuedAccessTokens) expect(text).not.toContain(token);
    expect(JSON.stringify([...agent.cookiesFor(stack.publicUrl).values()])).not.toContain('eyJ');
  });

  it('rejects a callback whose state does not match', async () => {
    const agent = new Agent();
    const start = await agent.request(new URL('/auth/login', stack.publicUrl));
    const authorize = new URL(start.headers.get('location')!);
    authorize.searchParams.set('state', 'forged-state-value-000000000000');
    const hops = await agent.follow(authorize);
    const last = hops.at(-1)!;
    expect(last.url.pathname).toBe('/auth/callback');
    expect(last.status).toBe(400);
    expect(last.text).toContain('Sign-in failed');
    expect(sessionCookieNames(agent, stack)).toEqual([]);
  });

  it('rejects a callback without the flow cookie', async () => {
    const response = await new Agent().request(new URL('/auth/callback?code=abc&state=def', stack.publicUrl));
    expect(response.status).toBe(400);
    expect(response.text).toContain('Sign-in expired');
  });

  it('refuses open redirects in returnTo', async () => {
    const agent = new Agent();
    const hops = await signIn(agent, stack.publicUrl, 'https://evil.example/');
    expect(hops.find((hop) => hop.url.pathname === '/auth/callback')!.headers.get('location')).toBe('/ui/');
  });
});

describe('session cookie', () => {
  it('is rejected when tampered with', async () => {
    const agent = new Agent();
    await signIn(agent, stack.publicUrl);
    expect((await me(agent, stack.publicUrl)).status).toBe(200);
    const jar = agent.cookiesFor(stack.publicUrl);
    const value = jar.get('mcpui-session')!;
    const flipped = value.slice(0, 20) + (value[20] === 'A' ? 'B' : 'A') + value.slice(21);
    jar.set('mcpui-session', flipped);
    const after = await me(agent, stack.publicUrl);
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject({ signedIn: false });
  });

  it('is not known to a second replica with the in-memory store (which is why two replicas need the shared one)', async () => {
    const { createUiServer, loadUiConfig } = await import('../src/server/app.ts');
    const { createLogger } = await import('@mcp-gateway/telemetry');
    const replica = await createUiServer(loadUiConfig({ ...stack.env }), { log: createLogger({ service: 'mcp-ui', level: 'silent' }) }).listen(0, '127.0.0.1');
    try {
      const agent = new Agent();
      await signIn(agent, stack.publicUrl);
      expect((await me(agent, stack.publicUrl)).status).toBe(200);
      const response = await fetch(new URL('/api/me', replica.url), { headers: { cookie: agent.cookieHeader(stack.publicUrl) } });
      expect(response.status).toBe(401);
    } finally {
      await replica.close();
    }
  });

  it('is not readable by another deployment (different session key)', async () => {
    const { writeFileSync } = await import('node:fs');
    const { createUiServer, loadUiConfig } = await import('../src/server/app.ts');
    const { createLogger } = await import('@mcp-gateway/telemetry');
    const otherKey = `${stack.env.SESSION_KEY_FILE}.other`;
    writeFileSync(otherKey, 'another-key-another-key-another-key-0000');
    const other = await createUiServer(loadUiConfig({ ...stack.env, SESSION_KEY_FILE: otherKey }), { log: createLogger({ service: 'mcp-ui', level: 'silent' }) }).listen(0, '127.0.0.1');
    try {
      const agent = new Agent();
      await signIn(agent, stack.publicUrl);
      const response = await fetch(new URL('/api/me', other.url), { headers: { cookie: agent.cookieHeader(stack.publicUrl) } });
      expect(response.status).toBe(401);
    } finally {
      await other.close();
    }
  });
});

describe('token refresh', () => {
  it('refreshes the access token before it expires, in the session store (the cookie stays the same)', async () => {
    const agent = new Agent();
    await signIn(agent, stack.publicUrl);
    const before = agent.cookieHeader(stack.publicUrl);
    const refreshesBefore = stack.provider.refreshCount();
    stack.clock.offsetSeconds = 600 - 60; // the 600 s token now has 60 s left: inside the 120 s refresh window
    try {
      const response = await agent.request(new URL('/ui/api/me', stack.publicUrl));
      expect(response.status).toBe(200);
      expect(stack.provider.refreshCount()).toBe(refreshesBefore + 1);
      expect(response.headers.getSetCookie()).toEqual([]);
      expect(agent.cookieHeader(stack.publicUrl)).toBe(before);
      // The refreshed token is what the gateway now receives.
      const accepted = stack.gateway.acceptedTokens.length;
      const csrf = JSON.parse(response.text).csrfToken as string;
      const catalog = await agent.request(new URL('/ui/api/catalog', stack.publicUrl), { headers: { 'x-csrf-token': csrf } });
      expect(catalog.status).toBe(200);
      expect(stack.gateway.acceptedTokens.slice(accepted)).toContain(stack.provider.issuedAccessTokens.at(-1));
      // With the new expiry stored, the next call needs no refresh.
      await agent.request(new URL('/ui/api/me', stack.publicUrl));
      expect(stack.provider.refreshCount()).toBe(refreshesBefore + 1);
    } finally {
      stack.clock.offsetSeconds = 0;
    }
  });
});

describe('sign-out', () => {
  it('needs the CSRF token, clears the session and goes to the provider end-session endpoint', async () => {
    const agent = new Agent();
    await signIn(agent, stack.publicUrl);
    const { body } = await me(agent, stack.publicUrl);
    const origin = stack.publicUrl.origin;
    const form = (csrf: string) => ({
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
      body: new URLSearchParams({ csrf }).toString(),
    });
    const forged = await agent.request(new URL('/auth/logout', stack.publicUrl), form('wrong'));
    expect(forged.status).toBe(403);
    const crossSite = await agent.request(new URL('/auth/logout', stack.publicUrl), {
      ...form(body.csrfToken as string),
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
    });
    expect(crossSite.status).toBe(403);
    expect((await me(agent, stack.publicUrl)).status).toBe(200);

    const response = await agent.request(new URL('/auth/logout', stack.publicUrl), form(body.csrfToken as string));
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(location.origin).toBe(new URL(stack.provider.issuer).origin);
    expect(location.pathname).toMatch(/\/oauth2\/v2.0\/logout$/);
    expect(location.searchParams.get('post_logout_redirect_uri')).toBe(new URL('/ui/', stack.publicUrl).href);
    expect(location.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(response.headers.getSetCookie().some((c) => /^mcpui-session=; .*Max-Age=0/.test(c))).toBe(true);
    expect((await me(agent, stack.publicUrl)).status).toBe(401);
  });
});
