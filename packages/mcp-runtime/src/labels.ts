/**
 * Method and tool names for logs and metric labels, read from a parsed JSON-RPC body.
 * Label values are bounded: unknown methods become "other", unregistered tools "unknown".
 */

/** JSON-RPC methods of the MCP revisions served (2025-era and 2026-07-28). */
const KNOWN_METHODS = new Set([
  'initialize',
  'ping',
  'server/discover',
  'tools/list',
  'tools/call',
  'resources/list',
  'resources/templates/list',
  'resources/read',
  'resources/subscribe',
  'resources/unsubscribe',
  'prompts/list',
  'prompts/get',
  'completion/complete',
  'logging/setLevel',
  'subscriptions/listen',
  'notifications/initialized',
  'notifications/cancelled',
  'notifications/progress',
  'notifications/roots/list_changed',
]);

/** What the logs and metrics say about one message. */
export interface MessageLabels {
  /** Metric label: a known method, "other", or "invalid" for a body that is not one JSON-RPC message. */
  method: string;
  /** Metric label: the registered tool name for tools/call, "unknown" for another name, '' otherwise. */
  tool: string;
  /** The JSON-RPC id when the message is a request. */
  id: string | number | undefined;
}

/** Reads the labels of a parsed body. */
export function labelsOf(body: unknown, toolNames: ReadonlySet<string>): MessageLabels {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { method: 'invalid', tool: '', id: undefined };
  const message = body as { method?: unknown; id?: unknown; params?: { name?: unknown } };
  const id = typeof message.id === 'string' || typeof message.id === 'number' ? message.id : undefined;
  if (typeof message.method !== 'string') return { method: 'response', tool: '', id };
  const method = KNOWN_METHODS.has(message.method) ? message.method : 'other';
  if (method !== 'tools/call') return { method, tool: '', id };
  const name = message.params?.name;
  return { method, tool: typeof name === 'string' && toolNames.has(name) ? name : 'unknown', id };
}
