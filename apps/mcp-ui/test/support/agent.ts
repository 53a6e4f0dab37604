/**
 * A tiny browser-like HTTP agent for the server tests: a cookie jar per host (names and values only; every
 * cookie is sent back to its host, as the path attributes here are all "/" or narrower than what we request)
 * and manual redirects, so each hop of the sign-in can be inspected.
 */
export interface AgentResponse {
  status: number;
  headers: Headers;
  url: URL;
  text: string;
}

export class Agent {
  readonly jar = new Map<string, Map<string, string>>();

  cookiesFor(url: URL): Map<string, string> {
    let cookies = this.jar.get(url.host);
    if (!cookies) this.jar.set(url.host, (cookies = new Map()));
    return cookies;
  }

  cookieHeader(url: URL): string {
    return [...this.cookiesFor(url)].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private store(url: URL, headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value === '') this.cookiesFor(url).delete(name);
      else this.cookiesFor(url).set(name, value);
    }
  }

  /** One request, no redirect following. */
  async request(input: URL | string, init: RequestInit = {}): Promise<AgentResponse> {
    const url = new URL(input);
    const headers = new Headers(init.headers);
    const cookie = this.cookieHeader(url);
    if (cookie) headers.set('cookie', cookie);
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    this.store(url, response.headers);
    return { status: response.status, headers: response.headers, url, text: await response.text() };
  }

  /** Follows redirects (GET) from `input`, returning every hop. */
  async follow(input: URL | string, init: RequestInit = {}, maxHops = 20): Promise<AgentResponse[]> {
    const hops: AgentResponse[] = [];
    let next: URL | undefined = new URL(input);
    let options = init;
    while (next && hops.length < maxHops) {
      const response = await this.request(next, options);
      hops.push(response);
      const location = response.headers.get('location');
      next = response.status >= 300 && response.status < 400 && location ? new URL(location, next) : undefined;
      options = {};
    }
    return hops;
  }
}
