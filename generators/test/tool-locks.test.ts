/**
 * Tool locks in the generator: each server's `tool-locks/<name>.json` read, checked (schema, name, digests, size,
 * one lock per server and one server per lock, grants naming only locked tools), rendered into its ConfigMap and
 * pinned into every tool rule of its backend, with the rules run as agentgateway v1.4.1 evaluates them; and the
 * cross-object check that refuses tool rules an overlay unpinned.
 */
import { describe, expect, it } from 'vitest';
import { buildLock, formatLock, parseLock } from '@mcp-gateway/tool-lock';
import { formatProblem, parseRegistry } from '../src/registry/parse.ts';
import { MAX_LOCK_BYTES } from '../src/registry/tool-locks.ts';
import { renderObjects } from '../src/render/index.ts';
import { lockedToolCondition } from '../src/render/tool-lock.ts';
import { celTrue, rulesAllow } from '../src/validate/agentgateway-cel.ts';
import { crossCheckObjects } from '../src/validate/cross-check.ts';
import { checkPolicyCel } from '../src/validate/policy-cel.ts';
import { find, locksFor, repoRegistry, repoRegistryJson } from './helpers.ts';

const text = JSON.stringify(repoRegistryJson(), null, 2);
const locks = () => locksFor(text);
const problemsWith = (change: (files: Map<string, string>) => void, registryText = text): string[] => {
  const files = locks();
  change(files);
  const { registry, problems } = parseRegistry(registryText, files);
  expect(registry).toBeUndefined();
  return problems.map((p) => formatProblem(p));
};
const editLock = (files: Map<string, string>, server: string, edit: (lock: Record<string, any>) => void) => {
  const lock = JSON.parse(files.get(server)!);
  edit(lock);
  files.set(server, `${JSON.stringify(lock, null, 2)}\n`);
};

describe('reading the locks', () => {
  it('attaches each server its lock, as committed', () => {
    const registry = repoRegistry();
    for (const server of registry.servers) expect(formatLock(server.toolLock)).toBe(locks().get(server.name));
    expect(registry.servers.find((s) => s.name === 'mcp-hubspot')!.toolLock.tools.map((t) => t.name)).toContain('update_crm_object');
  });

  it('refuses a lock against its schema, with the file, line and field', () => {
    expect(problemsWith((f) => editLock(f, 'mcp-example', (l) => (l.tools[0].digest = 'md5:abc')))).toEqual([
      expect.stringMatching(/^tool-locks\/mcp-example\.json:\d+:\d+: tools\[0\]\.digest: must match pattern "\^sha256:\[0-9a-f\]\{64\}\$" \(found "md5:abc"\)$/),
    ]);
    expect(problemsWith((f) => editLock(f, 'mcp-example', (l) => (l.tools[1].inputSchemaa = {})))).toEqual([expect.stringMatching(/^tool-locks\/mcp-example\.json:\d+:\d+: tools\[1\]\.inputSchemaa: unknown field "inputSchemaa"$/)]);
    expect(problemsWith((f) => editLock(f, 'mcp-example', (l) => (l.source = { kind: 'app', url: 'https://x.example/mcp', protocolVersions: ['2025-11-25'] })))).toEqual([
      expect.stringMatching(/^tool-locks\/mcp-example\.json:5:\d+: source: missing required field "path"$/),
      expect.stringMatching(/^tool-locks\/mcp-example\.json:7:\d+: source\.url: is not allowed here \(found "https:\/\/x\.example\/mcp"\)$/),
    ]);
    expect(problemsWith((f) => f.set('mcp-example', '{ "server": '))).toEqual([expect.stringMatching(/^tool-locks\/mcp-example\.json:1:\d+: \(syntax\): malformed JSON/)]);
  });

  it('refuses a lock named after another server, and a lock whose server is gone', () => {
    expect(problemsWith((f) => editLock(f, 'mcp-example', (l) => (l.server = 'mcp-hubspot')))).toEqual([
      expect.stringMatching(/^tool-locks\/mcp-example\.json:4:\d+: server: is "mcp-hubspot", but the file is tool-locks\/mcp-example\.json: a lock is named after its server$/),
    ]);
    expect(problemsWith((f) => f.set('mcp-gone', formatLock(buildLock('mcp-gone', { kind: 'hand' }, []))))).toEqual([
      'tool-locks/mcp-gone.json: (file): no server named "mcp-gone" in servers.json: delete the lock, or rename it after its server',
    ]);
  });

  it('refuses a description changed in the lock without its digest (a hand edit), naming the tool and the command', () => {
    const problems = problemsWith((f) => editLock(f, 'mcp-mssql', (l) => (l.tools[0].description += ' Also exports them.')));
    expect(problems).toEqual([expect.stringMatching(/^tool-locks\/mcp-mssql\.json:\d+:\d+: tools\[0\]\.digest: tool "describe_table": the digest does not match its definition \(sha256:[0-9a-f]{64}\): the lock was edited by hand; run `npm run tools:lock -- mcp-mssql`$/)]);
  });

  it('refuses a server without a lock, in servers.json at the server, saying how to write one', () => {
    const [problem] = problemsWith((f) => f.delete('mcp-mssql'));
    expect(problem).toMatch(/^servers\.json:\d+:5: servers\[2\]: server "mcp-mssql" has no tool lock \(tool-locks\/mcp-mssql\.json\), and none is assumed: the gateway serves only the tools a lock names\. Write it with `npm run tools:lock -- mcp-mssql` when its source is in apps\/, `npm run tools:lock -- mcp-mssql --url <a running instance>` otherwise, or by hand and `npm run tools:lock -- mcp-mssql --by-hand`/);
  });

  it('refuses a grant that names a tool the lock does not have', () => {
    const json = repoRegistryJson();
    json.servers.find((s: any) => s.name === 'mcp-hubspot').access[0].tools.push('list_ownerz');
    const edited = JSON.stringify(json, null, 2);
    expect(problemsWith(() => {}, edited)).toEqual([expect.stringMatching(/^servers\.json:\d+:\d+: servers\[1\]\.access\[0\]\.tools\[6\]: "list_ownerz" is not a tool of mcp-hubspot: tool-locks\/mcp-hubspot\.json has add_note, create_association, /)]);
  });

  it('refuses a lock too large for its ConfigMap', () => {
    const huge = buildLock('mcp-example', { kind: 'hand' }, [{ name: 'big', description: 'x'.repeat(MAX_LOCK_BYTES) }]);
    expect(problemsWith((f) => f.set('mcp-example', formatLock(huge)))).toEqual([expect.stringMatching(/^tool-locks\/mcp-example\.json:\d+:\d+: tools: the lock is \d+ bytes, more than the 1000000 its ConfigMap can hold$/)]);
  });
});

describe('what the gateway is given', () => {
  const registry = repoRegistry();
  const objects = renderObjects(registry);
  const hubspot = registry.servers.find((s) => s.name === 'mcp-hubspot')!;
  const rules = [{ action: 'Allow' as const, expressions: find(objects, 'AgentgatewayPolicy', 'mcp-hubspot-tool-access').spec.backend.mcp.authorization.policy.matchExpressions as string[] }];
  const writer = { oid: 'o', sub: 's', scp: 'mcp.access', roles: ['HubSpot.Write'] };
  const reader = { oid: 'o', sub: 's', scp: 'mcp.access', roles: ['HubSpot.Read'] };
  const tool = (name: string) => ({ tool: { target: 'mcp-hubspot', name } });

  it('a ConfigMap per server holding its lock, mounted where MCP_TOOL_LOCK_FILE points', () => {
    expect(parseLock(find(objects, 'ConfigMap', 'mcp-hubspot-tool-lock').data['tools.json'])).toEqual(hubspot.toolLock);
  });

  it('tool rules that serve a locked tool to those the grants admit, and an unlocked one to nobody, whatever the role', () => {
    expect(rulesAllow(rules, { jwt: writer, mcp: tool('update_crm_object') })).toBe(true);
    expect(rulesAllow(rules, { jwt: reader, mcp: tool('update_crm_object') })).toBe(false);
    expect(rulesAllow(rules, { jwt: reader, mcp: tool('search_crm_objects') })).toBe(true);
    for (const jwt of [writer, reader, { ...writer, roles: ['HubSpot.Write', 'HubSpot.Read'] }]) expect(rulesAllow(rules, { jwt, mcp: tool('delete_all_contacts') })).toBe(false);
  });

  it("keep the server's prompts and resources to the grants alone", () => {
    expect(rulesAllow(rules, { jwt: writer, mcp: { resource: { target: 'mcp-hubspot', name: 'hubspot://x' } } })).toBe(true);
    expect(rulesAllow(rules, { jwt: reader, mcp: { prompt: { target: 'mcp-hubspot', name: 'p' } } })).toBe(true);
  });

  it('word refusals only for locked tools: an unlocked one is "Unknown tool" to every caller, as if it did not exist', () => {
    const refusals = find(objects, 'AgentgatewayPolicy', 'mcp-hubspot-access').spec.traffic.directResponse.conditional.slice(1) as Array<{ condition: string }>;
    const call = (name: string) => ({ method: 'POST', body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: {} } }) });
    expect(refusals.some((r) => celTrue(r.condition, { jwt: reader, request: call('update_crm_object') }))).toBe(true);
    expect(refusals.some((r) => celTrue(r.condition, { jwt: reader, request: call('delete_all_contacts') }))).toBe(false);
  });

  it('a lock with no tools serves none, and its CEL checks out', () => {
    const files = locks();
    files.set('mcp-example', formatLock(buildLock('mcp-example', { kind: 'hand' }, [])));
    const empty = parseRegistry(text, files).registry!;
    const rendered = renderObjects(empty);
    const expressions = find(rendered, 'AgentgatewayPolicy', 'mcp-example-tool-access').spec.backend.mcp.authorization.policy.matchExpressions as string[];
    expect(expressions).toEqual(['(has(jwt.scp)) && (!has(mcp.tool) || mcp.tool.name in [])']);
    expect(rulesAllow([{ action: 'Allow', expressions }], { jwt: writer, mcp: { tool: { target: 'mcp-example', name: 'echo' } } })).toBe(false);
    expect([...checkPolicyCel(rendered), ...crossCheckObjects(rendered)]).toEqual([]);
  });
});

describe('the cross-object check of the pinning', () => {
  const objects = () => structuredClone(renderObjects(repoRegistry()));

  it('passes the rendered objects', () => {
    expect(crossCheckObjects(objects())).toEqual([]);
  });

  it('refuses a tool rule an overlay stripped of the lock condition', () => {
    const patched = objects();
    const policy = find(patched, 'AgentgatewayPolicy', 'mcp-hubspot-tool-access');
    policy.spec.backend.mcp.authorization.policy.matchExpressions[1] = 'has(jwt.roles) && "HubSpot.Write" in jwt.roles';
    expect(crossCheckObjects(patched)).toEqual([
      { where: 'AgentgatewayPolicy agentgateway-system/mcp-hubspot-tool-access', message: expect.stringMatching(/^the rule "has\(jwt\.roles\) && \\"HubSpot\.Write\\" in jwt\.roles" does not require a tool of the lock .*: it would serve tools no pull request locked$/) },
    ]);
  });

  it('refuses rules pinned to other tools than the mounted lock, and a server that mounts no lock', () => {
    const patched = objects();
    const configMap = find(patched, 'ConfigMap', 'mcp-example-tool-lock');
    const lock = parseLock(configMap.data['tools.json']);
    configMap.data['tools.json'] = formatLock(buildLock('mcp-example', lock.source, [...lock.tools, { name: 'shout', description: 'Shouts.' }]));
    expect(crossCheckObjects(patched).map((p) => p.where)).toEqual(['AgentgatewayPolicy agentgateway-system/mcp-example-tool-access']);
    expect(lockedToolCondition(parseLock(configMap.data['tools.json']))).toContain('"shout"');

    const unmounted = objects();
    const deployment = find(unmounted, 'Deployment', 'mcp-mssql');
    deployment.spec.template.spec.volumes = deployment.spec.template.spec.volumes.filter((v: { name: string }) => v.name !== 'tool-lock');
    expect(crossCheckObjects(unmounted)).toContainEqual({ where: 'AgentgatewayBackend agentgateway-system/mcp-mssql-backend', message: 'its server mounts no tool lock (ConfigMap volume "tool-lock"): nothing pins the tools the gateway serves' });
  });
});
