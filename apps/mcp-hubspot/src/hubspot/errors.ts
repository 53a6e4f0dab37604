/**
 * The errors the HubSpot client raises. Each message is written for the person (or model) calling a tool:
 * what went wrong and what to do. None carries the access token.
 */

/** Why a HubSpot call failed. */
export type HubSpotErrorKind =
  | 'no_token'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'invalid_request'
  | 'conflict'
  | 'rate_limited'
  | 'server_error'
  | 'network_error';

/** A failed HubSpot call. */
export class HubSpotError extends Error {
  readonly kind: HubSpotErrorKind;
  /** HTTP status, when HubSpot answered. */
  readonly status: number | undefined;
  /** HubSpot's correlation id, to quote to HubSpot support. */
  readonly correlationId: string | undefined;

  constructor(kind: HubSpotErrorKind, message: string, status?: number, correlationId?: string) {
    super(message);
    this.name = 'HubSpotError';
    this.kind = kind;
    this.status = status;
    this.correlationId = correlationId;
  }
}

/** Names the refresher in every token-related message, so an operator knows where to look. */
export const TOKEN_REFRESH_HINT =
  'The CronJob hubspot-token-cronjob refreshes the token every 23 minutes into the Secret hubspot-access-token ' +
  '(key access-token); this server picks up a new token without a restart. Check the CronJob\'s last Job and its logs.';

/** The fields of HubSpot's error body worth showing. */
export interface HubSpotErrorBody {
  message?: unknown;
  category?: unknown;
  correlationId?: unknown;
  policyName?: unknown;
}

/** HubSpot's message from an error body, shortened; empty when there is none. */
export function hubSpotMessage(body: unknown): string {
  if (!body || typeof body !== 'object') return '';
  const message = (body as HubSpotErrorBody).message;
  if (typeof message !== 'string') return '';
  return message.length > 500 ? `${message.slice(0, 500)}…` : message;
}

/** The scopes a 403 body says are missing (`errors[].context.requiredGranularScopes` or `missingScopes`). */
export function missingScopes(body: unknown): string[] {
  if (!body || typeof body !== 'object') return [];
  const errors = (body as { errors?: unknown }).errors;
  if (!Array.isArray(errors)) return [];
  const scopes = new Set<string>();
  for (const e of errors) {
    const context = (e as { context?: Record<string, unknown> } | undefined)?.context ?? {};
    for (const key of ['requiredGranularScopes', 'missingScopes', 'requiredScopes']) {
      const list = context[key];
      if (Array.isArray(list)) for (const s of list) if (typeof s === 'string') scopes.add(s);
    }
  }
  return [...scopes];
}

/** HubSpot's correlation id from an error body. */
export function correlationIdOf(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const id = (body as HubSpotErrorBody).correlationId;
  return typeof id === 'string' ? id : undefined;
}
