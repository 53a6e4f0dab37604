/**
 * The plan's access section on its own: renderings of servers.json variants (the real generator) compared by
 * what the gateway would enforce, evaluated with v1.4.1's rule semantics.
 */
import { describe, expect, it } from 'vitest';
import { parseRegistry } from '../../generators/src/registry/parse.ts';
import { renderObjects } from '../../generators/src/render/index.ts';
import { diffAccess, formatAccessChange, OTHER_TOOLS } from '../plan/access-diff.ts';
import type { KubeObject } from '../plan/diff-objects.ts';
import { REPO_ROOT } from './helpers.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const registryJson = () => JSON.parse(readFileSync(join(REPO_ROOT, 'servers.json'), 'utf8')) as { servers: Record<string, any>[] };
function render(mutate: (registry: ReturnType<typeof registryJson>) => void = () => {}): KubeObject[] {
  const json = registryJson();
  mutate(json);
  const { registry, problems } = parseRegistry(JSON.stringify(json));
  if (!registry) throw new Error(problems.map((p) => `${p.where}: ${p.message}`).join('\n'));
  return renderObjects(registry) as KubeObject[];
}
const server = (json: ReturnType<typeof registryJson>, name: string) => json.servers.find((s) => s.name === name)!;

describe('diffAccess', () => {
  const base = render();

  it('finds nothing between two identical renderings', () => {
    expect(diffAccess(base, render())).toEqual([]);
  });

  it('names the tools a role gains', () => {
    const after = render((j) => server(j, 'mcp-hubspot').access[0].tools.push('create_crm_object'));
    expect(diffAccess(base, after).map(formatAccessChange)).toEqual(['+ mcp-hubspot: people and applications with the app role HubSpot.Read: create_crm_object']);
  });

  it('says once that a server opens to everyone in the tenant, and that applications lose it: everyone means people', () => {
    const after = render((j) => (server(j, 'mcp-mssql').access = [{ everyoneInTenant: true }]));
    expect(diffAccess(base, after).map(formatAccessChange)).toEqual([
      '+ mcp-mssql: every signed-in person: the whole server',
      '- mcp-mssql: applications with the app role SQL.Read: the whole server',
    ]);
  });

  it('lists who loses a server that is removed, and what a role loses when its grant narrows', () => {
    const after = render((j) => {
      j.servers = j.servers.filter((s) => s.name !== 'mcp-mssql');
      server(j, 'mcp-hubspot').access[1] = { role: 'HubSpot.Write', tools: ['create_crm_object'] };
    });
    const lines = diffAccess(base, after).map(formatAccessChange);
    expect(lines).toContain('- mcp-mssql: people and applications with the app role SQL.Read: the whole server');
    expect(lines).toContain(
      `- mcp-hubspot: people and applications with the app role HubSpot.Write: ${OTHER_TOOLS}, get_crm_objects, list_associations, list_owners, list_pipelines, list_properties, search_crm_objects`,
    );
    expect(lines.filter((l) => l.startsWith('+'))).toEqual([]);
  });

  it('reports a change of rules that no caller it can name notices', () => {
    const after = render((j) => server(j, 'mcp-example').access.push({ when: 'has(jwt.xms_cc) && jwt.xms_cc == "cp1"' }));
    expect(diffAccess(base, after)).toEqual([{ sign: '~', server: 'mcp-example', who: '' }]);
  });
});
