/**
 * The plan's access section on its own: renderings of servers.json variants (the real generator) compared by
 * what the gateway would enforce, evaluated with v1.4.1's rule semantics.
 */
import { describe, expect, it } from 'vitest';
import { parseRegistry } from '../../generators/src/registry/parse.ts';
import { buildLock, formatLock, parseLock } from '@mcp-gateway/tool-lock';
import { locksFor } from '../../generators/test/helpers.ts';
import { renderObjects } from '../../generators/src/render/index.ts';
import { diffAccess, formatAccessChange } from '../plan/access-diff.ts';
import type { KubeObject } from '../plan/diff-objects.ts';
import { REPO_ROOT } from './helpers.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const registryJson = () => JSON.parse(readFileSync(join(REPO_ROOT, 'servers.json'), 'utf8')) as { servers: Record<string, any>[] };
function render(mutate: (registry: ReturnType<typeof registryJson>) => void = () => {}, locks: Record<string, string> = {}): KubeObject[] {
  const json = registryJson();
  mutate(json);
  const text = JSON.stringify(json);
  const { registry, problems } = parseRegistry(text, locksFor(text, locks));
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
      '- mcp-hubspot: people and applications with the app role HubSpot.Write: add_note, create_association, get_crm_objects, list_associations, list_owners, list_pipelines, list_properties, search_crm_objects, update_crm_object',
    );
    expect(lines.filter((l) => l.startsWith('+'))).toEqual([]);
  });

  it('names the tool a lock adds, for those its grants admit (the gateway serves it once it is locked)', () => {
    const example = parseLock(locksFor(JSON.stringify(registryJson())).get('mcp-example')!);
    const locked = formatLock(buildLock('mcp-example', example.source, [...example.tools, { name: 'shout', description: 'Shouts.' }]));
    expect(diffAccess(base, render(() => {}, { 'mcp-example': locked })).map(formatAccessChange)).toEqual(['+ mcp-example: every signed-in person: shout']);
  });

  it('reports a change of rules that no caller it can name notices', () => {
    const after = render((j) => server(j, 'mcp-example').access.push({ when: 'has(jwt.xms_cc) && jwt.xms_cc == "cp1"' }));
    expect(diffAccess(base, after)).toEqual([{ sign: '~', server: 'mcp-example', who: '' }]);
  });
});
