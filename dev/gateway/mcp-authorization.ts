/**
 * `backend.mcp.authorization` as agentgateway v1.4.1 applies it on an MCP backend. v1.4.1 terminates MCP; this
 * harness forwards it and applies the same rules to the messages on the way:
 * - a `tools/call`, `prompts/get` or `resources/read` the rules refuse is answered 400 with the JSON-RPC error
 *   `-32602 "Unknown tool: <name>"` (`mcp/session.rs` `authorize_*`; `mcp/mod.rs`: the error hides that the tool
 *   exists; `proxy/mod.rs`: `Authorization` → 400, not 401/403);
 * - `tools/list`, `prompts/list`, `resources/list` and `resources/templates/list` answers lose the entries the
 *   rules refuse (`mcp/handler.rs`, the merge functions ~L700–975).
 * Each check sees `mcp.tool`, `mcp.prompt` or `mcp.resource` with the target's name (`mcp/rbac.rs`). A batch
 * with a refused message is refused whole (v1.4.1 answers batch members one by one).
 */
import { requestBody } from './body.ts';
import { rulesAllow } from '../../generators/src/validate/agentgateway-cel.ts';
import { celVariables } from './cel.ts';
import type { Upstream } from './manifests.ts';
import type { Answer, Exchange } from './pipeline.ts';

type McpUpstream = Extract<Upstream, { kind: 'mcp' }>;
type Kind = 'tool' | 'prompt' | 'resource';

const CALLS: Record<string, { kind: Kind; field: string }> = {
  'tools/call': { kind: 'tool', field: 'name' },
  'prompts/get': { kind: 'prompt', field: 'name' },
  'resources/read': { kind: 'resource', field: 'uri' },
};
const LISTS: Record<string, { kind: Kind; list: string; field: string }> = {
  'tools/list': { kind: 'tool', list: 'tools', field: 'name' },
  'prompts/list': { kind: 'prompt', list: 'prompts', field: 'name' },
  'resources/list': { kind: 'resource', list: 'resources', field: 'uri' },
  'resources/templates/list': { kind: 'resource', list: 'resourceTemplates', field: 'uriTemplate' },
};

interface JsonRpcMessage {
  id?: string | number;
  method?: string;
  params?: Record<string, unknown>;
}

function parseMessages(body: Buffer | undefined): JsonRpcMessage[] {
  if (!body) return [];
  try {
    const parsed = JSON.parse(body.toString('utf8')) as unknown;
    const list = Array.isArray(parsed) ? parsed : [parsed];
    return list.filter((m): m is JsonRpcMessage => m !== null && typeof m === 'object');
  } catch {
    return [];
  }
}

function allowed(exchange: Exchange, upstream: McpUpstream, kind: Kind, name: string): boolean {
  return rulesAllow(upstream.mcpAuthorization, { ...celVariables(exchange), mcp: { [kind]: { target: upstream.target, name } } });
}

/** The MCP step: records what the MCP handler would (for the access log) and refuses calls the rules refuse. */
export async function mcpAuthorization(exchange: Exchange): Promise<Answer | undefined> {
  const upstream = exchange.route?.match.upstream;
  if (upstream?.kind !== 'mcp' || exchange.req.method !== 'POST') return undefined;
  const messages = parseMessages(await requestBody(exchange));
  const first = messages[0];
  if (first?.method) {
    const name = first.params?.name;
    exchange.mcp = { methodName: first.method, ...(first.method === 'tools/call' && typeof name === 'string' ? { tool: { target: upstream.target, name } } : {}) };
  }
  for (const message of messages) {
    const call = message.method ? CALLS[message.method] : undefined;
    const name = call ? message.params?.[call.field] : undefined;
    if (!call || message.id === undefined || typeof name !== 'string') continue;
    if (allowed(exchange, upstream, call.kind, name)) continue;
    const error = { code: -32602, message: `Unknown ${call.kind}: ${name}` };
    return { status: 400, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: message.id, error }), reason: 'MCP' };
  }
  return undefined;
}

/** For a list request to an MCP backend with rules: rewrites the answer without the entries the rules refuse. */
export function listFilter(exchange: Exchange): ((body: Buffer, contentType: string) => Buffer) | undefined {
  const upstream = exchange.route?.match.upstream;
  if (upstream?.kind !== 'mcp' || !upstream.mcpAuthorization?.length) return undefined;
  const messages = parseMessages(exchange.body ?? undefined);
  const lists = new Map(messages.flatMap((m) => (m.method && LISTS[m.method] && m.id !== undefined ? [[m.id, LISTS[m.method]!] as const] : [])));
  if (lists.size === 0) return undefined;
  const filterMessage = (text: string): string => {
    try {
      const message = JSON.parse(text) as { id?: string | number; result?: Record<string, unknown> };
      const list = message.id !== undefined ? lists.get(message.id) : undefined;
      const entries = list && message.result?.[list.list];
      if (!list || !Array.isArray(entries)) return text;
      message.result![list.list] = entries.filter((e) => typeof e?.[list.field] === 'string' && allowed(exchange, upstream, list.kind, e[list.field]));
      return JSON.stringify(message);
    } catch {
      return text;
    }
  };
  return (body, contentType) => {
    const text = body.toString('utf8');
    if (!contentType.includes('text/event-stream')) return Buffer.from(filterMessage(text));
    return Buffer.from(text.split('\n').map((line) => (line.startsWith('data:') ? `data: ${filterMessage(line.slice(5).trim())}` : line)).join('\n'));
  };
}
