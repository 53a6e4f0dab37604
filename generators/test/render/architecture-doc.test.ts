import { describe, expect, it } from 'vitest';
import { renderArchitectureDoc } from '../../src/render/architecture-doc.ts';
import { goodRegistry } from '../helpers.ts';

describe('renderArchitectureDoc', () => {
  const doc = renderArchitectureDoc(goodRegistry());

  it('draws the gateway, each route, backend, service and the CronJob in Mermaid', () => {
    expect(doc).toContain('```mermaid\nflowchart LR');
    expect(doc).toContain('Gateway agentgateway-proxy :8080');
    for (const name of ['mcp-example', 'mcp-hubspot', 'mcp-mssql']) {
      expect(doc).toContain(`HTTPRoute ${name}<br/>/mcp/${name}`);
      expect(doc).toContain(`AgentgatewayBackend ${name}-backend`);
      expect(doc).toContain(`Service ${name}-service :8000`);
    }
    expect(doc).toContain('CronJob hubspot-token-cronjob<br/>*/23 * * * *');
    expect(doc).toContain('AgentgatewayPolicy azure-mcp-authn-policy');
  });

  it('uses node ids Mermaid accepts', () => {
    const ids = [...doc.matchAll(/^ {2}([A-Za-z0-9_]+)[[({]/gm)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(10);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z][A-Za-z0-9_]*$/);
  });
});
