/** The page's own API (the UI server at /ui/api/...) and sign-in paths. */

/** Vite's base: the page is served under /ui/ behind the gateway. */
export const BASE = '/ui/';
export const API_BASE = `${BASE}api/`;
export const CSRF_HEADER = 'X-CSRF-Token';

/** Who is signed in, from GET /ui/api/me (never a token). */
export interface Me {
  name: string;
  email?: string;
  csrfToken: string;
}

/** One catalog entry and whether it answered through the gateway. */
export interface CatalogServer {
  name: string;
  description: string;
  path: string;
  /** What opens the server, in words, from the catalog. */
  access?: string;
  status: 'up' | 'down' | 'unauthorized';
  detail?: string;
  serverInfo?: { name?: string; version?: string };
}

/** The sign-in URL that brings the user back to where they are. */
export function loginUrl(): string {
  return `/auth/login?returnTo=${encodeURIComponent(BASE + location.hash)}`;
}

/** Thrown when the session is gone (401): the page shows the sign-in button. */
export class SignedOutError extends Error {
  override name = 'SignedOutError';
}

/** The session's CSRF token, once /api/me has told it; sent with every later API call. */
let csrfToken: string | undefined;

async function getJson<T>(path: string): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (csrfToken) headers[CSRF_HEADER] = csrfToken;
  const response = await fetch(API_BASE + path, { headers, credentials: 'same-origin' });
  if (response.status === 401) throw new SignedOutError('Signed out');
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { message?: string };
    throw new Error(body.message ?? `HTTP ${response.status}`);
  }
  return (await response.json()) as T;
}

/** The signed-in user, or null. */
export async function fetchMe(): Promise<Me | null> {
  try {
    const body = await getJson<Me & { signedIn: boolean }>('me');
    csrfToken = body.csrfToken;
    return { name: body.name, ...(body.email ? { email: body.email } : {}), csrfToken: body.csrfToken };
  } catch (error) {
    if (error instanceof SignedOutError) return null;
    throw error;
  }
}

export async function fetchCatalog(): Promise<CatalogServer[]> {
  return (await getJson<{ servers: CatalogServer[] }>('catalog')).servers;
}
