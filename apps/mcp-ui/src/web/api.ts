/** The page's own API (the UI server at /ui/api/...) and sign-in paths. */

/** Vite's base: the page is served under /ui/ behind the gateway. */
export const BASE = '/ui/';
export const API_BASE = `${BASE}api/`;
export const CSRF_HEADER = 'X-CSRF-Token';

/** Who is signed in, from GET /ui/api/me (never a token). */
export interface Me {
  name: string;
  email?: string;
  /** Keys what this browser keeps per person (the history). */
  userKey: string;
  csrfToken: string;
}

/** A server's health for this person, as the UI server found it (src/server/server-health.ts). */
export interface ServerHealth {
  state: 'ready' | 'not_ready' | 'not_answering' | 'refused';
  message: string;
  reason?: string;
  detail?: string;
  serverInfo?: { name?: string; version?: string };
  checkedAt: string;
}

/** One catalog entry: what the registry deploys, and its health. */
export interface CatalogServer {
  name: string;
  description: string;
  path: string;
  /** The deployed version (the image tag in servers.json). */
  version?: string;
  health: ServerHealth;
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
    return { name: body.name, ...(body.email ? { email: body.email } : {}), userKey: body.userKey, csrfToken: body.csrfToken };
  } catch (error) {
    if (error instanceof SignedOutError) return null;
    throw error;
  }
}

export async function fetchCatalog(): Promise<CatalogServer[]> {
  return (await getJson<{ servers: CatalogServer[] }>('catalog')).servers;
}

/** One server, checked afresh (the server page's Retry). */
export async function fetchCatalogServer(name: string): Promise<CatalogServer> {
  return getJson<CatalogServer>(`catalog/${encodeURIComponent(name)}`);
}
