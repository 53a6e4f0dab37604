/**
 * Drives the Entra stand-in's sign-in page the way a person would, with plain HTTP: from an authorization URL
 * (the gateway's /authorize or the stand-in's own), through the page, to the redirect that carries the code
 * back to the client. The UI tests' cookie-keeping agent does the browsing.
 */
import { Agent } from '../../apps/mcp-ui/test/support/agent.ts';

export { Agent };

/**
 * Follows `authorizationUrl`, signs in as the stand-in user `userId` if the page asks, and returns the first
 * redirect to `redirectUri` (not requested: the client's callback listener may not exist in a test).
 */
export async function signInAs(agent: Agent, authorizationUrl: URL | string, redirectUri: string, userId: string): Promise<URL> {
  let next: URL | undefined = new URL(authorizationUrl);
  let init: RequestInit = {};
  for (let hop = 0; hop < 20 && next; hop++) {
    if (next.href.startsWith(redirectUri) || sameEndpoint(next, redirectUri)) return next;
    const response = await agent.request(next, init);
    init = {};
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      next = new URL(location, next);
      continue;
    }
    const form = new RegExp(`<form method="post" action="([^"]+)"><input type="hidden" name="user" value="${userId}">`).exec(response.text);
    if (response.status === 200 && form) {
      next = new URL(form[1]!, next);
      init = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ user: userId }).toString() };
      continue;
    }
    throw new Error(`sign-in stopped at ${next.href}: ${response.status} ${response.text.slice(0, 300)}`);
  }
  throw new Error(`sign-in did not come back to ${redirectUri}`);
}

/** A loopback redirect URI matches on any port (RFC 8252 §7.3, Entra's desktop platform). */
function sameEndpoint(url: URL, redirectUri: string): boolean {
  const expected = new URL(redirectUri);
  const loopback = (u: URL) => ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  return loopback(url) && loopback(expected) && url.protocol === expected.protocol && url.hostname === expected.hostname && url.pathname === expected.pathname;
}
