/** Registry validation: good registries get defaults; bad ones get every problem with its place and exact text. */
import { describe, expect, it } from 'vitest';
import { formatProblem, parseRegistry } from '../src/registry/parse.ts';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FIXTURES, lockEveryServer, repoRegistry, parseWithLocks } from './helpers.ts';

/** A frozen copy of servers.json, so positions in the expected messages do not move when servers.json changes. */
const goodJson = (): Record<string, any> => JSON.parse(readFileSync(resolve(FIXTURES, 'registry-good.json'), 'utf8'));

/**
 * Problems of the repository's servers.json after `mutate`, formatted as the CLI prints them; a server the change
 * renames gets a lock under its new name (tool-locks.test.ts is about locks).
 */
function problemsAfter(mutate: (registry: Record<string, any>) => void): string[] {
  const json = goodJson();
  mutate(json);
  const text = JSON.stringify(json, null, 2);
  const { registry, problems } = parseRegistry(text, lockEveryServer(text));
  expect(registry).toBeUndefined();
  return problems.map((p) => formatProblem(p));
}

describe('a good registry', () => {
  it('parses the repository servers.json', () => {
    expect(repoRegistry().servers.length).toBeGreaterThanOrEqual(3);
  });

  it('applies defaults and sorts servers by name', () => {
    const registry = parseWithLocks(JSON.stringify(goodJson())).registry!;
    expect(registry.namespace).toBe('agentgateway-system');
    expect(registry.gateway).toEqual({ name: 'agentgateway-proxy', port: 8080 });
    expect(registry.auth.tokenVersion).toBe(2);
    expect(registry.servers.map((s) => s.name)).toEqual(['mcp-example', 'mcp-hubspot', 'mcp-mssql']);
    const example = registry.servers[0]!;
    expect(example).toMatchObject({ port: 8000, path: '/mcp', routePath: '/mcp/mcp-example', runAsUser: 1000, env: {}, secretMounts: [] });
    expect(registry.servers[1]!.tokenRefresh).toMatchObject({ schedule: '*/23 * * * *', timeZone: 'Etc/UTC', restart: false });
    expect(registry.controlPlane).toEqual({
      namespace: 'kgateway-system',
      chartRepository: 'oci://cr.agentgateway.dev/charts',
      agentgatewayVersion: 'v1.4.1',
      gatewayApiVersion: 'v1.6.0',
    });
  });

  it('fills defaults of a minimal server', () => {
    const json = goodJson();
    json.servers = [{ name: 'mcp-tiny', description: 'tiny', image: 'x/tiny:1', access: [{ everyoneInTenant: true }] }];
    const { registry, problems } = parseRegistry(JSON.stringify(json), lockEveryServer(JSON.stringify(json)));
    expect(problems).toEqual([]);
    expect(registry!.servers[0]).toEqual({
      name: 'mcp-tiny',
      description: 'tiny',
      image: 'x/tiny:1',
      access: [{ everyoneInTenant: true }],
      port: 8000,
      path: '/mcp',
      routePath: '/mcp/mcp-tiny',
      workload: 'Deployment',
      replicas: 1,
      runAsUser: 1000,
      env: {},
      secretMounts: [],
      resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
      inflight: { requests: 64 },
      alerts: { errorRatio: 0.05, latencyP99Seconds: 5, restarts: 3, tokenExpiresWithinMinutes: 10 },
      toolLock: expect.objectContaining({ server: 'mcp-tiny' }),
    });
  });
});

describe('malformed JSON', () => {
  it('names the line and column', () => {
    const { registry, problems } = parseWithLocks('{\n  "servers": [\n    { "name": "a", },\n  ]\n}');
    expect(registry).toBeUndefined();
    expect(problems.map((p) => formatProblem(p))).toEqual(["servers.json:3:20: (syntax): malformed JSON: trailing comma before '}'"]);
  });

  it('reports a missing comma and an empty file', () => {
    expect(parseWithLocks('{\n  "a": 1\n  "b": 2\n}').problems[0]).toEqual({ where: '(syntax)', message: `malformed JSON: expected ',' or '}' but found '"'`, line: 3, column: 3 });
    expect(parseWithLocks('').problems[0]).toMatchObject({ message: 'malformed JSON: expected a value but found end of input', line: 1, column: 1 });
  });
});

describe('schema violations', () => {
  it('gives the JSON path, what was expected and what was found', () => {
    expect(problemsAfter((r) => (r.servers[0].port = 70000))).toEqual(['servers.json:93:15: servers[0].port: must be <= 65535 (found 70000)']);
    expect(problemsAfter((r) => (r.servers[0].workload = 'DaemonSet'))).toEqual([
      'servers.json:76:19: servers[0].workload: must be one of "Deployment", "StatefulSet" (found "DaemonSet")',
    ]);
    expect(problemsAfter((r) => (r.servers[1].imagee = 'x'))).toEqual(['servers.json:152:17: servers[1].imagee: unknown field "imagee"']);
    expect(problemsAfter((r) => delete r.servers[2].image)).toEqual(['servers.json:153:5: servers[2]: missing required field "image"']);
    expect(problemsAfter((r) => (r.servers[0].name = 'MCP_Example'))).toEqual([
      'servers.json:73:15: servers[0].name: must match pattern "^[a-z]([-a-z0-9]*[a-z0-9])?$" (found "MCP_Example")',
    ]);
  });

  it('reports every problem at once, schema and semantic together, in file order', () => {
    const problems = problemsAfter((r) => {
      r.auth.tokenVersion = 3;
      r.ui.publicUrl = 'https://x/';
      r.servers[0].port = 0;
      r.servers[2].name = 'mcp-hubspot';
    });
    expect(problems).toEqual([
      'servers.json:17:21: auth.tokenVersion: must be one of 1, 2 (found 3)',
      'servers.json:51:18: ui.publicUrl: must match pattern "^https://[^/\\s?#]+$" (found "https://x/")',
      'servers.json:93:15: servers[0].port: must be >= 1 (found 0)',
      'servers.json:154:5: servers[2].routePath: route path "/mcp/mcp-hubspot" is already claimed by servers[1] "mcp-hubspot"',
      'servers.json:155:15: servers[2].name: duplicate server name "mcp-hubspot" (also servers[1])',
    ]);
  });
});

describe('semantic problems', () => {
  it('finds a duplicate name even between two entries that have other problems', () => {
    const problems = problemsAfter((r) => {
      r.servers[0].port = 70000;
      r.servers[1].name = 'mcp-example';
      r.servers[1].replicas = -1;
    });
    expect(problems).toContain('servers.json:93:15: servers[0].port: must be <= 65535 (found 70000)');
    expect(problems.some((p) => p.includes('servers[1].replicas'))).toBe(true);
    expect(problems.some((p) => p.endsWith('servers[1].name: duplicate server name "mcp-example" (also servers[0])'))).toBe(true);
  });

  it('rejects duplicate names and two servers on one path', () => {
    expect(problemsAfter((r) => (r.servers[2].routePath = '/mcp/mcp-example'))).toEqual([
      'servers.json:191:20: servers[2].routePath: route path "/mcp/mcp-example" is already claimed by servers[0] "mcp-example"',
    ]);
    expect(problemsAfter((r) => (r.servers[2].routePath = '/mcp/mcp-example/sql'))).toEqual([
      'servers.json:191:20: servers[2].routePath: route path "/mcp/mcp-example/sql" overlaps "/mcp/mcp-example" of servers[0] "mcp-example"',
    ]);
  });

  it('rejects the reserved paths /ui and /auth and anything under them', () => {
    expect(
      problemsAfter((r) => {
        r.servers[0].routePath = '/ui';
        r.servers[1].routePath = '/auth/callback';
      }),
    ).toEqual([
      'servers.json:93:20: servers[0].routePath: route path "/ui" is reserved for the UI (/ui, /auth and anything under them)',
      'servers.json:153:20: servers[1].routePath: route path "/auth/callback" is reserved for the UI (/ui, /auth and anything under them)',
    ]);
  });

  it('rejects a route path under /.well-known, where sign-in discovery lives', () => {
    expect(problemsAfter((r) => (r.servers[0].routePath = '/.well-known/oauth-protected-resource'))).toEqual([
      'servers.json:93:20: servers[0].routePath: route path "/.well-known/oauth-protected-resource" is reserved for sign-in discovery (/.well-known and anything under it)',
    ]);
  });

  it('rejects a scope of another API and MCP clients signing in with the UI\'s registration', () => {
    expect(
      problemsAfter((r) => {
        r.auth.scope = 'api://99999999-9999-9999-9999-999999999999/mcp.access';
        r.auth.mcpClientId = r.ui.clientId;
      }),
    ).toEqual([
      'servers.json:15:14: auth.scope: the scope\'s Application ID URI "api://99999999-9999-9999-9999-999999999999" is not one of auth.audiences (11111111-1111-1111-1111-111111111111, api://11111111-1111-1111-1111-111111111111): it must be the API whose tokens the gateway accepts',
      "servers.json:16:20: auth.mcpClientId: must differ from ui.clientId: the UI's registration is a confidential Web client, MCP clients need a public one (Mobile and desktop applications, PKCE)",
    ]);
  });

  it('accepts a path that only starts with the same letters as a reserved one', () => {
    const json = goodJson();
    json.servers[0].routePath = '/uix';
    expect(parseWithLocks(JSON.stringify(json)).problems).toEqual([]);
  });

  it('rejects an invalid cron schedule', () => {
    expect(problemsAfter((r) => (r.servers[1].tokenRefresh.schedule = '61 * * * *'))).toEqual([
      'servers.json:127:21: servers[1].tokenRefresh.schedule: invalid cron schedule "61 * * * *": minute 61 is out of range 0-59',
    ]);
  });

  it('rejects a name too long to take the -service and -backend suffixes', () => {
    const name = `mcp-${'x'.repeat(52)}`;
    expect(problemsAfter((r) => (r.servers[0].name = name))).toEqual([
      `servers.json:73:15: servers[0].name: "${name}" is too long: the Service name "${name}-service" would be 64 characters, the limit is 63`,
      `servers.json:73:15: servers[0].name: "${name}" is too long: the AgentgatewayBackend name "${name}-backend" would be 64 characters, the limit is 63`,
    ]);
  });

  it('rejects NODE_OPTIONS and the in-flight variables in env (the generator derives them), and a byte bound below the body limit', () => {
    expect(problemsAfter((r) => (r.servers[0].env = { NODE_OPTIONS: '--max-old-space-size=4096', MCP_MAX_INFLIGHT_BYTES: '1' }))).toEqual([
      expect.stringMatching(/servers\[0\]\.env\.NODE_OPTIONS: NODE_OPTIONS is set by the generator; remove it$/),
      expect.stringMatching(/servers\[0\]\.env\.MCP_MAX_INFLIGHT_BYTES: MCP_MAX_INFLIGHT_BYTES is set by the generator; remove it$/),
    ]);
    expect(problemsAfter((r) => (r.servers[0].inflight = { bytes: 500_000 }))).toEqual([
      expect.stringMatching(/servers\[0\]\.inflight\.bytes: bytes in flight \(500000\) must be at least the body limit 1048576, or no request could be served; raise inflight\.bytes$/),
    ]);
    expect(problemsAfter((r) => (r.servers[0].env = { MCP_MAX_BODY_BYTES: '16777216' }))).toEqual([
      expect.stringMatching(/servers\[0\]\.inflight\.bytes: bytes in flight \(a 32nd of the memory limit \d+Mi, \d+\) must be at least the body limit 16777216/),
    ]);
  });

  it('rejects generator-owned variables, unmounted token Secrets and clashing mounts', () => {
    expect(
      problemsAfter((r) => {
        r.servers[0].env = { PORT: '1' };
        r.servers[1].secretMounts[0].secretName = 'other';
        r.servers[2].secretMounts.push({ secretName: 'x', mountPath: '/tmp/x', env: { MSSQL_USER_FILE: 'u' } });
      }),
    ).toEqual([
      'servers.json:94:17: servers[0].env.PORT: PORT is set by the generator; remove it',
      'servers.json:133:23: servers[1].tokenRefresh.secretName: Secret "hubspot-access-token" is not mounted by the server; add it to secretMounts',
      expect.stringMatching(/servers\[2\]\.secretMounts\[1\]\.mountPath: "\/tmp\/x" collides with the \/tmp emptyDir$/),
      expect.stringMatching(/servers\[2\]\.secretMounts\[1\]\.env\.MSSQL_USER_FILE: variable MSSQL_USER_FILE is also set by secretMounts\[0\]$/),
    ]);
  });

  it('refuses more than one UI replica with the in-memory session store, saying what to set', () => {
    const problems = problemsAfter((r) => (r.ui.sessionStore = { type: 'memory' }));
    expect(problems).toEqual([expect.stringMatching(/^servers\.json:\d+:\d+: ui\.sessionStore: 2 UI replicas need a shared session store: with "memory" each pod knows only its own sign-ins/)]);
    expect(problems[0]).toContain('"type": "redis"');
    expect(problems[0]).toContain('docs/operations.md, "UI sessions"');
    expect(problemsAfter((r) => delete r.ui.sessionStore)).toEqual([expect.stringMatching(/ui\.sessionStore: 2 UI replicas need a shared session store/)]);
    const { problems: single } = parseWithLocks(JSON.stringify({ ...goodJson(), ui: { ...goodJson().ui, replicas: 1, sessionStore: undefined } }));
    expect(single).toEqual([]);
  });

  it('checks the session store fields: redis needs url and passwordSecret, the URL carries no password', () => {
    expect(problemsAfter((r) => (r.ui.sessionStore = { type: 'redis', url: 'redis://r:6379' }))).toEqual([
      expect.stringMatching(/ui\.sessionStore: missing required field "passwordSecret"$/),
    ]);
    expect(problemsAfter((r) => (r.ui.sessionStore.url = 'rediss://mcp-ui:hunter2@r:6380'))).toEqual([
      expect.stringMatching(/ui\.sessionStore\.url: looks like a credential \(it looks like a URL with a password\)/),
    ]);
    expect(problemsAfter((r) => (r.ui.sessionStore.caSecret = { name: 'ca', key: 'ca.crt' }) && (r.ui.sessionStore.url = 'redis://r:6379'))).toEqual([
      expect.stringMatching(/ui\.sessionStore\.caSecret: a CA is for TLS: use a rediss:\/\/ url, or remove caSecret$/),
    ]);
  });

  it('rejects a server named like the UI', () => {
    expect(problemsAfter((r) => (r.servers[0].name = 'mcp-ui'))).toEqual(['servers.json:73:15: servers[0].name: "mcp-ui" is the UI\'s name and cannot be a server name']);
  });
});
