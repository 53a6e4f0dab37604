/** The committed base/ builds with real kustomize, validates against every schema and matches servers.json. */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderObjects } from '../src/render/index.ts';
import { crossCheckObjects } from '../src/validate/cross-check.ts';
import { kustomizeBuild } from '../src/validate/kustomize.ts';
import { validateObjects } from '../src/validate/schemas.ts';
import { REPO_ROOT, repoRegistry } from './helpers.ts';

const key = (o: { kind: string; metadata: { namespace?: string; name: string } }) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;

describe('committed base/', () => {
  it('builds with kustomize into exactly the objects servers.json renders, all valid', async () => {
    const built = await kustomizeBuild(resolve(REPO_ROOT, 'base'));
    const rendered = renderObjects(repoRegistry());
    expect(built.map(key).sort()).toEqual(rendered.map(key).sort());
    expect(validateObjects(built)).toEqual([]);
    expect(crossCheckObjects(built)).toEqual([]);
  });

  it('contains the names the system keeps', async () => {
    const names = (await kustomizeBuild(resolve(REPO_ROOT, 'base'))).map(key);
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
