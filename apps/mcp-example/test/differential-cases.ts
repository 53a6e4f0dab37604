/**
 * The requests the differential test sends to both endpoints: both protocol eras, every method the servers
 * serve, refusals and errors, progress and log streams. Raw HTTP, as a client puts it on the wire.
 */
import * as z from 'zod/v4';
import type { McpServer } from '@modelcontextprotocol/server';

export type Era = '2025-11-25' | '2026-07-28';

/** One request: its JSON-RPC body and the headers besides Content-Type and Accept. */
export interface WireCase {
  name: string;
  headers: Record<string, string>;
  body: unknown;
}

const CLIENT = { name: 'differential', version: '1.0.0' };

/** The 2026-07-28 envelope a client puts in every request's `_meta`. */
export const ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': CLIENT,
  'io.modelcontextprotocol/clientCapabilities': {},
};

/** Tools only this test registers: one declaring an `Mcp-Param` header (SEP-2243), which the SDK checks per request. */
export function registerDifferentialTools(server: McpServer): void {
  server.registerTool(
    'regional_echo',
    { description: 'Echoes its text; the region travels as the Mcp-Param-Region header too', inputSchema: z.object({ region: z.string().meta({ 'x-mcp-header': 'Region' }), text: z.string() }) },
    ({ region, text }) => ({ content: [{ type: 'text', text: `${region}: ${text}` }] }),
  );
}

/** The name param a method mirrors in `Mcp-Name` (2026-07-28). */
function nameOf(method: string, params: Record<string, unknown> | undefined): string | undefined {
  const field = method === 'resources/read' ? 'uri' : method === 'tools/call' || method === 'prompts/get' ? 'name' : undefined;
  const value = field === undefined ? undefined : params?.[field];
  return typeof value === 'string' ? value : undefined;
}

/** A request as a client of `era` sends it (2026-07-28: envelope and the three standard headers). */
export function request(era: Era, id: number | string, method: string, params?: Record<string, unknown>, extraHeaders: Record<string, string> = {}): Omit<WireCase, 'name'> {
  if (era === '2025-11-25') {
    return { headers: { 'mcp-protocol-version': era, ...extraHeaders }, body: { jsonrpc: '2.0', id, method, ...(params !== undefined && { params }) } };
  }
  const name = nameOf(method, params);
  const meta = { ...((params?._meta as object | undefined) ?? {}), ...ENVELOPE };
  return {
    headers: { 'mcp-protocol-version': era, 'mcp-method': method, ...(name !== undefined && { 'mcp-name': name }), ...extraHeaders },
    body: { jsonrpc: '2.0', id, method, params: { ...params, _meta: meta } },
  };
}

const call = (name: string, args: Record<string, unknown>, meta?: Record<string, unknown>) => ({ name, arguments: args, ...(meta !== undefined && { _meta: meta }) });

/** Every case for one era. */
export function casesFor(era: Era): WireCase[] {
  const r = (name: string, id: number | string, method: string, params?: Record<string, unknown>, headers?: Record<string, string>): WireCase => ({ name, ...request(era, id, method, params, headers) });
  const cases: WireCase[] = [
    r('ping', 1, 'ping'),
    r('tools/list', 2, 'tools/list'),
    r('resources/list', 3, 'resources/list'),
    r('resources/templates/list', 4, 'resources/templates/list'),
    r('prompts/list', 5, 'prompts/list'),
    r('tools/call echo', 6, 'tools/call', call('echo', { text: 'same answer' })),
    r('tools/call add', 7, 'tools/call', call('add', { a: 2, b: 40 })),
    r('tools/call add overflow (isError)', 8, 'tools/call', call('add', { a: Number.MAX_VALUE, b: Number.MAX_VALUE })),
    r('tools/call invalid arguments (isError)', 9, 'tools/call', call('add', { a: 'two' })),
    r('tools/call unknown tool (-32602)', 10, 'tools/call', call('no_such_tool', {})),
    r('tools/call structured output', 11, 'tools/call', call('text_stats', { text: 'one two\nthree' })),
    r('tools/call unknown time zone (isError)', 12, 'tools/call', call('current_time', { timeZone: 'Mars/Olympus' })),
    r('tools/call image content', 13, 'tools/call', call('test_image_content', {})),
    r('tools/call embedded resource', 14, 'tools/call', call('test_embedded_resource', {})),
    r('tools/call a failing tool (isError)', 15, 'tools/call', call('test_error_handling', {})),
    r('tools/call with progress (streamed)', 16, 'tools/call', call('long_task', { steps: 3, stepMs: 5 }, { progressToken: 'p-16' })),
    r('tools/call long_task without a progress token', 17, 'tools/call', call('long_task', { steps: 2, stepMs: 5 })),
    r('tools/call with log messages (streamed)', 18, 'tools/call', call('test_tool_with_logging', {})),
    r('tools/call with an Mcp-Param header', 19, 'tools/call', call('regional_echo', { region: 'eu', text: 'hi' }), era === '2026-07-28' ? { 'mcp-param-region': 'eu' } : {}),
    r('tools/call missing its Mcp-Param header', 20, 'tools/call', call('regional_echo', { region: 'eu', text: 'hi' })),
    r('resources/read', 21, 'resources/read', { uri: 'example://about' }),
    r('resources/read a template', 22, 'resources/read', { uri: 'test://template/42/data' }),
    r('resources/read unknown', 23, 'resources/read', { uri: 'example://nothing' }),
    r('prompts/get', 24, 'prompts/get', { name: 'summarize', arguments: { text: 'abc' } }),
    r('prompts/get missing argument', 25, 'prompts/get', { name: 'summarize', arguments: {} }),
    r('prompts/get unknown', 26, 'prompts/get', { name: 'no_such_prompt' }),
    r('completion/complete', 27, 'completion/complete', { ref: { type: 'ref/prompt', name: 'test_prompt_with_arguments' }, argument: { name: 'arg1', value: 'al' } }),
    r('unknown method (-32601)', 28, 'tasks/list'),
    r('string id', 'id-29', 'tools/call', call('echo', { text: 'string id' })),
    r('params that are not an object', 30, 'tools/list', undefined),
    { name: 'invalid JSON-RPC version', headers: { 'mcp-protocol-version': era }, body: { jsonrpc: '1.0', id: 31, method: 'ping' } },
    { name: 'a notification', ...notification(era, 'notifications/initialized') },
    { name: 'a response sent to the server', headers: { 'mcp-protocol-version': era }, body: { jsonrpc: '2.0', id: 33, result: {} } },
    { name: 'an unsupported protocol version', headers: { 'mcp-protocol-version': '1999-01-01' }, body: { jsonrpc: '2.0', id: 34, method: 'ping' } },
  ];
  // 'params that are not an object' needs params to be an array.
  (cases.find((c) => c.name === 'params that are not an object')!.body as Record<string, unknown>).params = [];
  if (era === '2025-11-25') {
    cases.push(
      r('initialize', 40, 'initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: CLIENT }),
      { name: 'no protocol version header', headers: {}, body: { jsonrpc: '2.0', id: 41, method: 'tools/call', params: call('echo', { text: 'no header' }) } },
      r('logging/setLevel', 42, 'logging/setLevel', { level: 'warning' }),
    );
  } else {
    const withHeaders = (name: string, body: unknown, headers: Record<string, string>): WireCase => ({ name, headers, body });
    const echo = request(era, 50, 'tools/call', call('echo', { text: 'x' }));
    cases.push(
      r('server/discover', 51, 'server/discover'),
      withHeaders('Mcp-Method disagrees with the body', echo.body, { ...echo.headers, 'mcp-method': 'tools/list' }),
      withHeaders('Mcp-Name disagrees with the body', echo.body, { ...echo.headers, 'mcp-name': 'add' }),
      withHeaders('Mcp-Method missing', echo.body, { 'mcp-protocol-version': era, 'mcp-name': 'echo' }),
      withHeaders('MCP-Protocol-Version missing', echo.body, { 'mcp-method': 'tools/call', 'mcp-name': 'echo' }),
      withHeaders('a modern header without the envelope', { jsonrpc: '2.0', id: 55, method: 'ping' }, { 'mcp-protocol-version': era, 'mcp-method': 'ping' }),
      withHeaders('an envelope naming an unknown revision', { jsonrpc: '2.0', id: 56, method: 'ping', params: { _meta: { ...ENVELOPE, 'io.modelcontextprotocol/protocolVersion': '2099-01-01' } } }, { 'mcp-protocol-version': '2099-01-01', 'mcp-method': 'ping' }),
      withHeaders('Mcp-Name in base64 form', echo.body, { ...echo.headers, 'mcp-name': `=?base64?${Buffer.from('echo').toString('base64')}?=` }),
      r('initialize on 2026-07-28', 57, 'initialize', { protocolVersion: '2026-07-28', capabilities: {}, clientInfo: CLIENT }),
    );
  }
  return cases;
}

function notification(era: Era, method: string): Omit<WireCase, 'name'> {
  if (era === '2025-11-25') return { headers: { 'mcp-protocol-version': era }, body: { jsonrpc: '2.0', method } };
  return { headers: { 'mcp-protocol-version': era, 'mcp-method': method }, body: { jsonrpc: '2.0', method, params: { _meta: ENVELOPE } } };
}
