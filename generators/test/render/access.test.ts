/**
 * The access rules rendered from the registry, read the way agentgateway v1.4.1 evaluates them: the CEL is run
 * (the generators' model of v1.4.1's CEL) on tokens of a reader, a writer, a person without roles and
 * applications, not only compared as text.
 */
import { describe, expect, it } from 'vitest';
import { renderRouteAccessPolicy, renderToolAccessPolicy, CALLER_EXPRESSION } from '../../src/render/access-policy.ts';
import { grantCondition, routeAuthorization, toolAuthorization, toolRefusals } from '../../src/render/access-rules.ts';
import { auditAttributes, renderAccessLogPolicy } from '../../src/render/audit-log.ts';
import { appRoleId, renderAppRoles, uuidV5 } from '../../src/render/entra-app-roles.ts';
import { celTrue, evaluateCel, rulesAllow, toPlain } from '../../src/validate/agentgateway-cel.ts';
import { goodRegistry } from '../helpers.ts';

const registry = goodRegistry();
const hubspot = registry.servers.find((s) => s.name === 'mcp-hubspot')!;
const example = registry.servers.find((s) => s.name === 'mcp-example')!;
const mssql = registry.servers.find((s) => s.name === 'mcp-mssql')!;

const person = (roles?: string[]) => ({ oid: 'o', sub: 's', scp: 'mcp.access', ...(roles ? { roles } : {}) });
const application = (roles?: string[]) => ({ oid: 'a', sub: 'a', azp: 'a', idtyp: 'app', ...(roles ? { roles } : {}) });
const reader = person(['HubSpot.Read']);
const writer = person(['HubSpot.Write']);

const mayRoute = (server: typeof hubspot, jwt: object) => rulesAllow([{ action: 'Allow', expressions: routeAuthorization(server).policy.matchExpressions }], { jwt });
const mayTool = (server: typeof hubspot, jwt: object, tool: string, alsoRequire?: string) =>
  rulesAllow([{ action: 'Allow', expressions: toolAuthorization(server, alsoRequire).policy.matchExpressions }], { jwt, mcp: { tool: { target: server.name, name: tool } } });

describe('grantCondition', () => {
  it('reads roles, scopes and groups with has() guards, so a token without the claim is refused, not an error', () => {
    expect(grantCondition({ role: 'HubSpot.Read' })).toBe('has(jwt.roles) && "HubSpot.Read" in jwt.roles');
    expect(grantCondition({ scope: 'things.read' })).toBe('has(jwt.scp) && "things.read" in jwt.scp.split(" ")');
    expect(grantCondition({ group: 'AAAAAAAA-0000-0000-0000-000000000000' })).toBe('has(jwt.groups) && "aaaaaaaa-0000-0000-0000-000000000000" in jwt.groups');
    expect(grantCondition({ everyoneInTenant: true })).toBe('has(jwt.scp)');
    for (const jwt of [person(), application()]) expect(evaluateCel(grantCondition({ role: 'R' }), { jwt })).toEqual({ ok: true, value: false });
  });
});

describe('the route rule (traffic.authorization)', () => {
  it('admits any caller a grant of the server names', () => {
    expect(mayRoute(hubspot, reader)).toBe(true);
    expect(mayRoute(hubspot, writer)).toBe(true);
    expect(mayRoute(hubspot, person())).toBe(false);
    expect(mayRoute(mssql, application(['SQL.Read']))).toBe(true);
  });

  it('opens everyoneInTenant to people, never to applications', () => {
    expect(mayRoute(example, person())).toBe(true);
    expect(mayRoute(example, application(['SQL.Read']))).toBe(false);
  });
});

describe('the tool rule (backend.mcp.authorization)', () => {
  it('opens the listed tools to the reader and every tool to the writer', () => {
    expect(mayTool(hubspot, reader, 'search_crm_objects')).toBe(true);
    expect(mayTool(hubspot, reader, 'create_crm_object')).toBe(false);
    expect(mayTool(hubspot, writer, 'create_crm_object')).toBe(true);
    expect(mayTool(hubspot, writer, 'a_tool_added_later')).toBe(true);
  });

  it("keeps the server's prompts and resources open to a grant limited to tools", () => {
    const rules = [{ action: 'Allow' as const, expressions: toolAuthorization(hubspot).policy.matchExpressions }];
    expect(rulesAllow(rules, { jwt: reader, mcp: { resource: { target: 'mcp-hubspot', name: 'hubspot://x' } } })).toBe(true);
  });

  it('ANDs a further condition into every rule (a pinned tool surface, issue 14)', () => {
    const pinned = 'mcp.tool.name in ["search_crm_objects", "create_crm_object"]';
    expect(mayTool(hubspot, writer, 'create_crm_object', pinned)).toBe(true);
    expect(mayTool(hubspot, writer, 'update_crm_object', pinned)).toBe(false);
    expect(mayTool(hubspot, reader, 'create_crm_object', pinned)).toBe(false);
  });
});

describe('the worded refusals (directResponse)', () => {
  const refusals = toolRefusals(hubspot, hubspot.toolLock.tools.map((tool) => tool.name));
  const call = (name: unknown, id: unknown = 3) => ({ method: 'POST', body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: {} } }) });
  const applies = (jwt: object, request: object) => refusals.findIndex((r) => celTrue(r.condition, { jwt, request }));

  it('refuse the reader a write tool with 403 and a JSON-RPC error naming the role it needs', () => {
    expect(refusals).toHaveLength(1);
    const index = applies(reader, call('create_crm_object'));
    expect(index).toBe(0);
    const body = evaluateCel(refusals[0]!.policy.bodyExpression, { jwt: reader, request: call('create_crm_object') });
    expect(refusals[0]!.policy.status).toBe(403);
    expect(toPlain((body as { value: unknown }).value)).toEqual({
      jsonrpc: '2.0',
      id: 3,
      error: { code: -32003, message: 'mcp-hubspot: the tool "create_crm_object" needs the app role HubSpot.Write, which this sign-in does not have' },
    });
  });

  it('let the writer, a read tool, a notification and a batch through (the backend rule still refuses the batch)', () => {
    expect(applies(writer, call('create_crm_object'))).toBe(-1);
    expect(applies(reader, call('search_crm_objects'))).toBe(-1);
    expect(applies(reader, { method: 'POST', body: '{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1}}' })).toBe(-1);
    expect(applies(reader, { method: 'POST', body: JSON.stringify([JSON.parse(call('create_crm_object').body)]) })).toBe(-1);
  });

  it('word a name that is not a string without failing', () => {
    const body = evaluateCel(refusals[0]!.policy.bodyExpression, { jwt: reader, request: call({ x: 1 }) });
    expect(body.ok).toBe(true);
  });
});

describe('the access policies of a server', () => {
  it('target its route (rule, caller header, scope challenge first) and its backend', () => {
    const route = renderRouteAccessPolicy(hubspot, registry) as any;
    expect(route.metadata).toMatchObject({ name: 'mcp-hubspot-access', labels: { 'app.kubernetes.io/component': 'access' } });
    expect(route.spec.targetRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'mcp-hubspot' }]);
    expect(route.spec.traffic.transformation).toEqual({ request: { set: [{ name: 'x-mcp-caller', value: CALLER_EXPRESSION }] } });
    expect(route.spec.traffic.directResponse.conditional[0].condition).toBe('has(jwt.scp) && !("mcp.access" in jwt.scp.split(" "))');
    const tools = renderToolAccessPolicy(hubspot, registry) as any;
    expect(tools.metadata.name).toBe('mcp-hubspot-tool-access');
    expect(tools.spec.targetRefs).toEqual([{ group: 'agentgateway.dev', kind: 'AgentgatewayBackend', name: 'mcp-hubspot-backend' }]);
    expect(tools.spec.backend.mcp.authorization.action).toBe('Allow');
  });

  it('hand the servers the verified object id, for people and applications', () => {
    expect(evaluateCel(CALLER_EXPRESSION, { jwt: reader })).toEqual({ ok: true, value: 'o' });
    expect(evaluateCel(CALLER_EXPRESSION, { jwt: { sub: 'only-sub' } })).toEqual({ ok: true, value: 'only-sub' });
  });
});

describe('the access log', () => {
  it('adds caller, server, method, tool and decision to the Gateway\'s lines, never a token or the arguments', () => {
    const policy = renderAccessLogPolicy(registry) as any;
    expect(policy.spec.targetRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'agentgateway-proxy' }]);
    const names = auditAttributes(registry).map((a) => a.name);
    expect(names).toEqual(['caller.type', 'caller.oid', 'caller.name', 'caller.appid', 'mcp.server', 'mcp.method', 'mcp.tool', 'access.decision']);
    expect(JSON.stringify(auditAttributes(registry))).not.toMatch(/rawToken|arguments|authorization/);
    expect(auditAttributes({ auth: { ...registry.auth, tokenVersion: 1 } }).find((a) => a.name === 'caller.appid')!.expression).toBe('jwt.appid');
  });
});

describe('the app roles of the API registration', () => {
  it('derive each id from the role value (RFC 9562 version 5), so regenerating never changes one', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
    const roles = renderAppRoles(registry.auth).appRoles;
    expect(roles.map((r) => r.value)).toEqual(['HubSpot.Read', 'HubSpot.Write', 'SQL.Read']);
    expect(roles[0]).toEqual({
      allowedMemberTypes: ['User'],
      description: 'Search and read HubSpot CRM records.',
      displayName: 'HubSpot reader',
      id: appRoleId({ value: 'HubSpot.Read' }, registry.auth),
      isEnabled: true,
      value: 'HubSpot.Read',
    });
    expect(new Set(roles.map((r) => r.id)).size).toBe(3);
    expect(renderAppRoles(goodRegistry().auth)).toEqual(renderAppRoles(registry.auth));
    // Another API registration gets other ids for the same names.
    expect(appRoleId({ value: 'HubSpot.Read' }, { clientId: '99999999-9999-9999-9999-999999999999' })).not.toBe(roles[0]!.id);
  });
});
