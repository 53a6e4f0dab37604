/**
 * Who may call what, end to end through the rendered manifests (kustomize build overlays/dev): the local gateway
 * (standing in for agentgateway v1.4.1) enforces each route's access policy and each backend's tool rules as
 * rendered from servers.json's `access`, and writes the access log; the Entra stand-in issues real tokens to the
 * stand-in people and applications of dev/entra-users.ts (Ada: HubSpot.Write and SQL.Read; Grace: HubSpot.Read;
 * Alan: no role; the application reporting-job: SQL.Read; dev-cli: none).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeMcpError } from '../../apps/mcp-ui/src/web/mcp-connection.ts';
import { STAND_IN_USERS } from '../entra-users.ts';
import type { Stack } from '../stack.ts';
import { applicationToken, connectThroughGateway, startDevStack, userToken } from './support.ts';

let stack: Stack;
const tokens: Record<string, string> = {};
const oid = (id: string) => STAND_IN_USERS.find((u) => u.id === id)!.oid;

const READ_TOOLS = ['get_crm_objects', 'list_associations', 'list_owners', 'list_pipelines', 'list_properties', 'search_crm_objects'];
const WRITE_TOOLS = ['add_note', 'create_association', 'create_crm_object', 'update_crm_object'];
const CREATE = { name: 'create_crm_object', arguments: { objectType: 'contacts', properties: { email: 'new.person@example.test', firstname: 'Secret-Argument-Value' } } };

beforeAll(async () => {
  ({ stack } = await startDevStack());
  for (const id of ['ada', 'grace', 'alan']) tokens[id] = await userToken(stack, id);
  tokens['reporting-job'] = await applicationToken(stack, 'reporting-job');
  tokens['dev-cli'] = await applicationToken(stack, 'dev-cli');
});
afterAll(() => stack?.close());

/** One JSON-RPC request straight through the gateway (2025-11-25, stateless: no initialize needed). */
async function rpc(route: string, token: string, method: string, params: Record<string, unknown> = {}, id: number | string = 1): Promise<{ status: number; contentType: string; text: string }> {
  const response = await fetch(new URL(route, stack.gateway.url), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' },
    body: JSON.stringify({ jsonrpc: '2.0', id, method, params }),
  });
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
}

/** The access log lines written since `mark` that match `fields`. */
function audit(mark: number, fields: Record<string, unknown>): Record<string, unknown>[] {
  return stack.accessLog.slice(mark).filter((line) => Object.entries(fields).every(([k, v]) => line[k] === v));
}

async function toolNames(route: string, token: string): Promise<string[]> {
  const client = await connectThroughGateway(stack, route, token);
  try {
    return (await client.listTools()).tools.map((t) => t.name).sort();
  } finally {
    await client.close();
  }
}

describe('a HubSpot reader (Grace, app role HubSpot.Read)', () => {
  it("sees HubSpot's read tools only", async () => {
    expect(await toolNames('/mcp/mcp-hubspot', tokens.grace!)).toEqual(READ_TOOLS);
  });

  it('calls a read tool', async () => {
    const mark = stack.accessLog.length;
    const answer = await rpc('/mcp/mcp-hubspot', tokens.grace!, 'tools/call', { name: 'list_owners', arguments: {} });
    expect(answer.status).toBe(200);
    expect(answer.text).not.toContain('"isError":true');
    expect(audit(mark, { 'caller.oid': oid('grace'), 'mcp.tool': 'list_owners' })).toEqual([
      expect.objectContaining({ 'caller.type': 'user', 'caller.name': 'grace@example.test', 'mcp.server': 'mcp-hubspot', 'mcp.method': 'tools/call', 'access.decision': 'allowed', 'http.status': 200 }),
    ]);
  });

  it('is refused create_crm_object with 403 and a JSON-RPC error that names the missing role', async () => {
    const mark = stack.accessLog.length;
    const answer = await rpc('/mcp/mcp-hubspot', tokens.grace!, 'tools/call', CREATE, 41);
    expect(answer.status).toBe(403);
    expect(answer.contentType).toBe('application/json');
    expect(JSON.parse(answer.text)).toEqual({
      jsonrpc: '2.0',
      id: 41,
      error: { code: -32003, message: 'mcp-hubspot: the tool "create_crm_object" needs the app role HubSpot.Write, which this sign-in does not have' },
    });
    expect(stack.hubspot.requests.filter((r) => r.method === 'POST' && r.path.includes('/objects/contacts') && !r.path.includes('search'))).toEqual([]);
    const [line] = audit(mark, { 'caller.oid': oid('grace') });
    expect(line).toMatchObject({ 'mcp.server': 'mcp-hubspot', 'mcp.method': 'tools/call', 'mcp.tool': 'create_crm_object', 'access.decision': 'denied', 'http.status': 403, reason: 'DirectResponse' });
  });

  it("gets the same refusal through the official MCP client, and the UI's page shows the gateway's words", async () => {
    const client = await connectThroughGateway(stack, '/mcp/mcp-hubspot', tokens.grace!);
    try {
      const error = await client.callTool(CREATE).then(() => undefined, (e: unknown) => e);
      expect(String(error)).toMatch(/needs the app role HubSpot\.Write/);
      expect(describeMcpError(error, 'mcp-hubspot')).toMatchObject({ message: 'mcp-hubspot: the tool "create_crm_object" needs the app role HubSpot.Write, which this sign-in does not have', code: -32003, signedOut: false });
    } finally {
      await client.close();
    }
  });

  it("is refused by the backend's tool rule where the worded refusal cannot read the call (a batch): v1.4.1's Unknown tool", async () => {
    const response = await fetch(new URL('/mcp/mcp-hubspot', stack.gateway.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.grace}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' },
      body: JSON.stringify([{ jsonrpc: '2.0', id: 5, method: 'tools/call', params: CREATE }]),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ jsonrpc: '2.0', id: 5, error: { code: -32602, message: 'Unknown tool: create_crm_object' } });
  });
});

describe('a HubSpot writer (Ada, app role HubSpot.Write)', () => {
  it('sees every HubSpot tool and creates a contact', async () => {
    expect(await toolNames('/mcp/mcp-hubspot', tokens.ada!)).toEqual([...READ_TOOLS, ...WRITE_TOOLS].sort());
    const mark = stack.accessLog.length;
    const answer = await rpc('/mcp/mcp-hubspot', tokens.ada!, 'tools/call', CREATE);
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('new.person@example.test');
    expect(answer.text).not.toContain('"isError":true');
    expect(audit(mark, { 'caller.oid': oid('ada'), 'mcp.tool': 'create_crm_object' })).toEqual([
      expect.objectContaining({ 'mcp.server': 'mcp-hubspot', 'mcp.method': 'tools/call', 'access.decision': 'allowed', 'http.status': 200, reason: 'Upstream' }),
    ]);
  });
});

describe('a member of the tenant without any role (Alan)', () => {
  it('reaches mcp-example, which servers.json opens to everyone in the tenant', async () => {
    expect((await toolNames('/mcp/mcp-example', tokens.alan!)).length).toBeGreaterThan(0);
    const answer = await rpc('/mcp/mcp-example', tokens.alan!, 'tools/call', { name: 'echo', arguments: { text: 'hello' } });
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('hello');
  });

  it('is refused mcp-hubspot and mcp-mssql at the route with 403, as v1.4.1 refuses a failed traffic.authorization', async () => {
    for (const route of ['/mcp/mcp-hubspot', '/mcp/mcp-mssql']) {
      const mark = stack.accessLog.length;
      const answer = await rpc(route, tokens.alan!, 'tools/list');
      expect({ route, status: answer.status, text: answer.text }).toEqual({ route, status: 403, text: 'authorization failed' });
      expect(audit(mark, { 'caller.oid': oid('alan') }), route).toEqual([
        expect.objectContaining({ 'mcp.server': route.split('/')[2], 'access.decision': 'denied', 'http.status': 403, reason: 'Authorization' }),
      ]);
    }
  });
});

describe('applications (client credentials)', () => {
  it('reporting-job, granted SQL.Read (a role that allows applications), reaches mcp-mssql and nothing else', async () => {
    const mark = stack.accessLog.length;
    expect(await toolNames('/mcp/mcp-mssql', tokens['reporting-job']!)).toEqual(['describe_table', 'list_schemas', 'list_tables', 'run_query', 'sample_rows']);
    expect(audit(mark, { 'caller.appid': 'reporting-job', 'mcp.method': 'tools/list' })).toEqual([
      expect.objectContaining({ 'caller.type': 'application', 'caller.oid': 'reporting-job', 'mcp.server': 'mcp-mssql', 'access.decision': 'allowed', 'http.status': 200 }),
    ]);
    // Everyone in the tenant means people: an application needs a role even for mcp-example.
    for (const route of ['/mcp/mcp-example', '/mcp/mcp-hubspot']) expect((await rpc(route, tokens['reporting-job']!, 'tools/list')).status, route).toBe(403);
  });

  it('dev-cli, granted no role, is refused everywhere (and, holding no delegated scope, gets no scope challenge)', async () => {
    for (const route of ['/mcp/mcp-example', '/mcp/mcp-hubspot', '/mcp/mcp-mssql']) {
      const mark = stack.accessLog.length;
      const answer = await rpc(route, tokens['dev-cli']!, 'tools/list');
      expect(answer.status, route).toBe(403);
      expect(answer.text, route).toBe('authorization failed');
      expect(audit(mark, { 'caller.appid': 'dev-cli' }), route).toEqual([expect.objectContaining({ 'caller.type': 'application', 'access.decision': 'denied', 'http.status': 403 })]);
    }
  });
});

describe('the audit trail', () => {
  it('has one JSON line per request with the caller, and never a token or a tool argument', () => {
    expect(stack.accessLog.length).toBeGreaterThan(10);
    const text = stack.accessLog.map((line) => JSON.stringify(line)).join('\n');
    for (const token of Object.values(tokens)) expect(text).not.toContain(token.split('.')[1]!);
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
    expect(text).not.toContain('Secret-Argument-Value');
    for (const line of stack.accessLog.filter((l) => String(l['http.path']).startsWith('/mcp/'))) {
      expect(line, JSON.stringify(line)).toMatchObject({ 'mcp.server': expect.any(String), 'access.decision': expect.stringMatching(/^(allowed|denied|unauthenticated)$/), 'http.status': expect.any(Number) });
    }
  });
});
