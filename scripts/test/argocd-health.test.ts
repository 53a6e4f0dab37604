/**
 * The Argo CD health checks of argocd/health/ run with Debian's lua5.1 (scripts/test/lua-health.ts) on the status
 * documents agentgateway v1.4.1's controller writes (fixtures/argocd-health/, origins in each case): a policy whose
 * JWKS could not be fetched, a route not accepted, a backend not resolved and a listener without its certificate
 * show Degraded with the controller's message. The argocd-cm keys the operator applies carry exactly these files.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { luaAvailable, runHealthScript, toLua } from './lua-health.ts';
import { build, get, REPO_ROOT } from './helpers.ts';

const CHECKS = [
  { group: 'gateway.networking.k8s.io', kind: 'Gateway', file: 'gateway.lua', fixtures: 'gateway.yaml' },
  { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', file: 'httproute.lua', fixtures: 'httproute.yaml' },
  { group: 'agentgateway.dev', kind: 'AgentgatewayPolicy', file: 'agentgateway-policy.lua', fixtures: 'agentgateway-policy.yaml' },
  { group: 'agentgateway.dev', kind: 'AgentgatewayBackend', file: 'agentgateway-backend.lua', fixtures: 'agentgateway-backend.yaml' },
];

interface Case {
  case: string;
  origin: string;
  expect: { status: string; message: string };
  object: { kind: string };
}

const script = (file: string) => join(REPO_ROOT, 'argocd/health', file);
const cases = (fixtures: string) => parse(readFileSync(join(REPO_ROOT, 'scripts/test/fixtures/argocd-health', fixtures), 'utf8')) as Case[];

if (!luaAvailable() && process.env.CI) throw new Error('lua5.1 is missing: npm run setup installs it (Debian: apt-get install lua5.1)');

describe.skipIf(!luaAvailable())('Argo CD health checks, run with lua5.1', () => {
  for (const check of CHECKS) {
    describe(check.kind, () => {
      for (const c of cases(check.fixtures)) {
        it(`${c.case}: ${c.expect.status}`, () => {
          expect(c.object.kind).toBe(check.kind);
          expect(runHealthScript(script(check.file), c.object)).toEqual(c.expect);
        });
      }
    });
  }

  it('show the missing Entra keyset as Degraded, where Accepted=True alone would read Healthy', () => {
    const missing = cases('agentgateway-policy.yaml').find((c) => c.origin.includes('jwt-remote-missing-persisted-keyset'))!;
    expect(get(missing.object, 'status', 'ancestors', 0, 'conditions', 0, 'status')).toBe('True');
    const health = runHealthScript(script('agentgateway-policy.lua'), missing.object);
    expect(health.status).toBe('Degraded');
    expect(health.message).toMatch(/jwks keyset for ".*" isn't available/);
  });

  it('cover each kind with a Healthy, a Progressing and a Degraded case', () => {
    for (const check of CHECKS) expect(new Set(cases(check.fixtures).map((c) => c.expect.status)), check.kind).toEqual(new Set(['Healthy', 'Progressing', 'Degraded']));
  });

  it('answer only the statuses Argo CD knows, for any object of the kind, even one without metadata.generation', () => {
    for (const check of CHECKS) {
      const { status } = runHealthScript(script(check.file), { apiVersion: 'x/v1', kind: check.kind, metadata: { name: 'x' }, status: { conditions: [], ancestors: [], parents: [], listeners: [] } });
      expect(['Healthy', 'Progressing', 'Degraded', 'Suspended', 'Missing', 'Unknown'], check.kind).toContain(status);
    }
  });
});

describe('the Lua form of an object', () => {
  it.skipIf(!luaAvailable())('keeps quotes, backslashes, newlines and non-ASCII text, drops nulls, numbers arrays from 1', () => {
    const tricky = 'a "quoted" \\ back\nslash é';
    expect(toLua({ a: null, b: [1, 'x'] })).toBe('{["b"] = {1, "x"}}');
    // The backend check hands the controller's message back as it is: what Lua received, read back.
    const health = runHealthScript(script('agentgateway-backend.lua'), { metadata: {}, status: { conditions: [{ type: 'Accepted', status: 'False', message: tricky }] } });
    expect(health).toEqual({ status: 'Degraded', message: tricky });
  });
});

describe('argocd/health', () => {
  it('builds the argocd-cm keys Argo CD reads, resource.customizations.health.<group>_<kind>, each the .lua file byte for byte', async () => {
    const [configMap, ...rest] = await build('argocd/health');
    expect(rest).toEqual([]);
    expect(configMap).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm', namespace: 'argocd', labels: { 'app.kubernetes.io/part-of': 'argocd' } } });
    const data = get(configMap, 'data') as Record<string, string>;
    expect(Object.keys(data).sort()).toEqual(CHECKS.map((c) => `resource.customizations.health.${c.group}_${c.kind}`).sort());
    for (const check of CHECKS) expect(data[`resource.customizations.health.${check.group}_${check.kind}`]).toBe(readFileSync(script(check.file), 'utf8'));
  });
});
