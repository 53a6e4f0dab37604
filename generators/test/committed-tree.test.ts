/** The committed base/ builds with real kustomize, unit by unit, validates against every schema and matches servers.json. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderObjects, renderUnits } from '../src/render/index.ts';
import { crossCheckObjects } from '../src/validate/cross-check.ts';
import { validateObjects } from '../src/validate/schemas.ts';
import { buildUnits, REPO_ROOT, repoRegistry } from './helpers.ts';

const key = (o: { kind: string; metadata: { namespace?: string; name: string } }) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const built = buildUnits(resolve(REPO_ROOT, 'base'), repoRegistry());

describe('committed base/', () => {
  it('builds, one unit at a time, into exactly the objects servers.json renders, all valid', async () => {
    const objects = await built;
    expect(objects.map(key).sort()).toEqual(renderObjects(repoRegistry()).map(key).sort());
    expect(validateObjects(objects)).toEqual([]);
    expect(crossCheckObjects(objects)).toEqual([]);
  });

  it('has no kustomization above its units, so nothing builds the whole fleet', () => {
    expect(renderUnits(repoRegistry())).toEqual(['shared', 'servers/mcp-example', 'servers/mcp-hubspot', 'servers/mcp-mssql']);
    for (const dir of ['base', 'base/servers']) expect(existsSync(resolve(REPO_ROOT, dir, 'kustomization.yaml')), dir).toBe(false);
  });

  it('contains the names the system keeps', async () => {
    const names = (await built).map(key);
    for (const expected of [
      'Gateway agentgateway-system/agentgateway-proxy',
      'AgentgatewayPolicy agentgateway-system/azure-mcp-authn-policy',
      'Deployment agentgateway-system/mcp-ui',
      'Service agentgateway-system/mcp-ui-service',
      'StatefulSet agentgateway-system/mcp-hubspot',
      'CronJob agentgateway-system/hubspot-token-cronjob',
      'AgentgatewayBackend agentgateway-system/mcp-mssql-backend',
      'Service agentgateway-system/mcp-example-service',
    ]) {
      expect(names).toContain(expected);
    }
  });
});
