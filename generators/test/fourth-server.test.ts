/** Adding a fourth server to servers.json, with its tool lock and nothing else, yields a complete and valid set of objects. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderFiles } from '../src/emit.ts';
import { parseRegistry } from '../src/registry/parse.ts';
import { renderObjects } from '../src/render/index.ts';
import { crossCheckObjects } from '../src/validate/cross-check.ts';
import { validateObjects } from '../src/validate/schemas.ts';
import { buildUnits, find, lockLike, repoRegistryJson, parseWithLocks } from './helpers.ts';

const json = repoRegistryJson();
json.servers.push({ name: 'mcp-weather', description: 'Weather forecasts.', image: 'ghcr.io/example/mcp-weather:1.0.0', access: [{ everyoneInTenant: true }] });
const { registry, problems } = parseWithLocks(JSON.stringify(json), { 'mcp-weather': lockLike('mcp-weather') });

describe('a fourth server', () => {
  it('parses with its lock, and is refused without one, saying how to write it', () => {
    expect(problems).toEqual([]);
    expect(parseWithLocks(JSON.stringify(json)).problems.map((p) => p.message)).toEqual([expect.stringMatching(/^server "mcp-weather" has no tool lock \(tool-locks\/mcp-weather\.json\), and none is assumed/)]);
  });

  it('gets a ConfigMap with its lock, and its tool rule admits only the locked tools', () => {
    const configMap = find(renderObjects(registry!), 'ConfigMap', 'mcp-weather-tool-lock');
    expect(JSON.parse(configMap.data['tools.json']).tools.map((t: { name: string }) => t.name)).toEqual(['add', 'current_time', 'echo', 'long_task', 'text_stats']);
    const rule = find(renderObjects(registry!), 'AgentgatewayPolicy', 'mcp-weather-tool-access').spec.backend.mcp.authorization.policy.matchExpressions[0];
    expect(rule).toBe('(has(jwt.scp)) && (!has(mcp.tool) || mcp.tool.name in ["add", "current_time", "echo", "long_task", "text_stats"])');
  });

  const objects = renderObjects(registry!);
  const names = objects.map((o) => `${o.kind}/${o.metadata.name}`);

  it('gets its workload, Service, backend, route, access policies, ServiceAccount and NetworkPolicy', () => {
    for (const expected of ['ConfigMap/mcp-weather-tool-lock', 'Deployment/mcp-weather', 'Service/mcp-weather-service', 'AgentgatewayBackend/mcp-weather-backend', 'HTTPRoute/mcp-weather', 'AgentgatewayPolicy/mcp-weather-access', 'AgentgatewayPolicy/mcp-weather-tool-access', 'ServiceAccount/mcp-weather', 'NetworkPolicy/mcp-weather']) {
      expect(names).toContain(expected);
    }
  });

  it('is covered by the JWT policy (its route carries the label the policy selects) and listed in the UI catalog', () => {
    const policy = objects.find((o) => o.kind === 'AgentgatewayPolicy' && o.metadata.name === 'azure-mcp-authn-policy') as any;
    const route = objects.find((o) => o.kind === 'HTTPRoute' && o.metadata.name === 'mcp-weather')!;
    for (const [label, value] of Object.entries(policy.spec.targetSelectors[0].matchLabels)) expect(route.metadata.labels![label]).toBe(value);
    const catalog = JSON.parse((objects.find((o) => o.metadata.name === 'mcp-ui-catalog') as any).data['catalog.json']);
    expect(catalog.servers.map((s: any) => s.path)).toContain('/mcp/mcp-weather');
  });

  it('validates against every schema and every cross-object check', () => {
    expect(validateObjects(objects)).toEqual([]);
    expect(crossCheckObjects(objects)).toEqual([]);
  });

  it('builds with kustomize from the written files, unit by unit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fourth-server-'));
    try {
      for (const file of renderFiles(registry!)) {
        mkdirSync(dirname(join(dir, file.path)), { recursive: true });
        writeFileSync(join(dir, file.path), file.content);
      }
      const built = await buildUnits(join(dir, 'base'), registry!);
      expect(built.length).toBe(objects.length);
      expect(built.map((o) => `${o.kind}/${o.metadata.name}`)).toContain('ConfigMap/mcp-weather-tool-lock');
      expect(built.map((o) => `${o.kind}/${o.metadata.name}`)).toContain('HTTPRoute/mcp-weather');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('no server at all', () => {
  it('still renders a valid base: gateway, its access log, JWKS backend, the JWT policy, UI with an empty catalog, no access policy', () => {
    const empty = repoRegistryJson();
    empty.servers = [];
    const parsed = parseWithLocks(JSON.stringify(empty));
    expect(parsed.problems).toEqual([]);
    const objects = renderObjects(parsed.registry!);
    expect(objects.filter((o) => o.kind === 'AgentgatewayPolicy').map((o) => o.metadata.name)).toEqual(['mcp-access-log', 'azure-mcp-authn-policy']);
    expect(JSON.parse((objects.find((o) => o.metadata.name === 'mcp-ui-catalog') as any).data['catalog.json'])).toEqual({ servers: [] });
    expect(validateObjects(objects)).toEqual([]);
    expect(crossCheckObjects(objects)).toEqual([]);
  });
});
