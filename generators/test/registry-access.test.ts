/** Who may call what in the registry: every server says it, grants name one kind of caller, roles are declared. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, parseRegistry } from '../src/registry/parse.ts';
import { toolClasses } from '../src/registry/access.ts';
import { FIXTURES, parseWithLocks } from './helpers.ts';

const goodJson = (): Record<string, any> => JSON.parse(readFileSync(resolve(FIXTURES, 'registry-good.json'), 'utf8'));

/** The problems (as the CLI prints them, without the position) of registry-good.json after `mutate`. */
function problemsAfter(mutate: (registry: Record<string, any>) => void): string[] {
  const json = goodJson();
  mutate(json);
  const { registry, problems } = parseWithLocks(JSON.stringify(json, null, 2));
  expect(registry).toBeUndefined();
  return problems.map((p) => formatProblem(p).replace(/^servers\.json:\d+:\d+: /, ''));
}

describe('a server without an access rule', () => {
  it('is refused by name, with how to write one; nobody is let in by default', () => {
    expect(problemsAfter((r) => delete r.servers[1].access)).toEqual([
      'servers[1]: server "mcp-hubspot" has no access rule, and none is assumed: add "access", e.g. [{"role": "Reports.Read"}] (an app role declared in auth.appRoles); [{"role": "Reports.Read", "tools": ["list_reports"]}, {"role": "Reports.Admin"}] to open some tools to one role and all of them to another; or [{"everyoneInTenant": true}] for every person signed in to the tenant (generators/README.md, "Access")',
    ]);
  });

  it('is refused alongside other problems, in one run', () => {
    const problems = problemsAfter((r) => {
      r.servers[0].port = 0;
      delete r.servers[2].access;
    });
    expect(problems).toEqual([expect.stringMatching(/^servers\[0\]\.port: must be >= 1/), expect.stringMatching(/^servers\[2\]: server "mcp-mssql" has no access rule/)]);
  });

  it('may not have an empty list: "everyone" is written, never implied', () => {
    expect(problemsAfter((r) => (r.servers[0].access = []))).toEqual(['servers[0].access: must NOT have fewer than 1 items (found [])']);
  });
});

describe('grants', () => {
  it('name exactly one kind of caller', () => {
    expect(problemsAfter((r) => (r.servers[0].access = [{ role: 'SQL.Read', everyoneInTenant: true }]))).toEqual([
      'servers[0].access[0]: a grant names exactly one of role, scope, group, everyoneInTenant, when (found role and everyoneInTenant); write one grant per kind of caller',
    ]);
    expect(problemsAfter((r) => (r.servers[0].access = [{ tools: ['echo'] }]))).toEqual([
      'servers[0].access[0]: a grant names exactly one of role, scope, group, everyoneInTenant, when (found none); write one grant per kind of caller',
    ]);
  });

  it('name app roles that auth.appRoles declares (a typo is refused, not silently never matched)', () => {
    expect(problemsAfter((r) => (r.servers[1].access[1].role = 'HubSpot.Writer'))).toEqual([
      'servers[1].access[1].role: "HubSpot.Writer" is not an app role of auth.appRoles (declared: HubSpot.Read, HubSpot.Write, SQL.Read); declare it there with a displayName and description, or correct the name',
    ]);
  });

  it('check a CEL condition against the claims Entra issues, and that it is a total boolean', () => {
    expect(problemsAfter((r) => (r.servers[0].access = [{ when: 'has(jwt.rolse) && "x" in jwt.rolse' }]))).toEqual([
      'servers[0].access[0].when: the CEL condition unknown claim "rolse": Entra access tokens carry no such claim; did you mean "roles"?',
    ]);
    expect(problemsAfter((r) => (r.servers[0].access = [{ when: 'request.path == "/"' }]))).toEqual([
      'servers[0].access[0].when: the CEL condition unknown variable "request" (here v1.4.1 provides jwt)',
    ]);
    expect(problemsAfter((r) => (r.servers[0].access = [{ when: '"x" in jwt.groups' }]))).toEqual([
      'servers[0].access[0].when: the CEL condition fails to evaluate for a person with no role (field not found: groups); guard what may be missing with has()',
    ]);
    expect(problemsAfter((r) => (r.servers[0].access = [{ when: 'jwt.oid' }]))).toEqual(['servers[0].access[0].when: the CEL condition is not a boolean for a person with roles and groups']);
    expect(problemsAfter((r) => (r.servers[0].access = [{ when: 'jwt.oid ==' }]))[0]).toMatch(/^servers\[0\]\.access\[0\]\.when: the CEL condition does not parse/);
  });

  it('accept every kind, and a condition over optional claims guarded with has()', () => {
    const json = goodJson();
    json.servers[0].access = [
      { role: 'SQL.Read', tools: ['echo'] },
      { scope: 'mcp.access' },
      { group: '0F0F0F0F-1111-2222-3333-444444444444', tools: ['add'] },
      { when: 'has(jwt.wids) && "62e90394-69f5-4237-9190-012177145e10" in jwt.wids' },
      { everyoneInTenant: true },
    ];
    expect(parseWithLocks(JSON.stringify(json)).problems).toEqual([]);
  });
});

describe('auth.appRoles', () => {
  it('defaults to none, and refuses two roles with one value', () => {
    const json = goodJson();
    delete json.auth.appRoles;
    json.servers = json.servers.map((s: any) => ({ ...s, access: [{ everyoneInTenant: true }] }));
    expect(parseWithLocks(JSON.stringify(json)).registry!.auth.appRoles).toEqual([]);
    expect(problemsAfter((r) => r.auth.appRoles.push({ ...r.auth.appRoles[0] }))).toEqual(['auth.appRoles[3].value: duplicate app role "HubSpot.Read" (also auth.appRoles[0])']);
  });

  it('fills allowedMemberTypes with User (people and groups)', () => {
    const registry = parseWithLocks(JSON.stringify(goodJson())).registry!;
    expect(registry.auth.appRoles.map((r) => [r.value, r.allowedMemberTypes])).toEqual([
      ['HubSpot.Read', ['User']],
      ['HubSpot.Write', ['User']],
      ['SQL.Read', ['User', 'Application']],
    ]);
  });
});

describe('toolClasses', () => {
  it('groups the tools by the grants that open them, keeping only groups someone on the route is refused', () => {
    const grants = [{ role: 'R', tools: ['a', 'b'] }, { role: 'S', tools: ['b', 'c'] }, { role: 'W' }];
    expect(toolClasses(grants)).toEqual([
      { tools: ['a'], grants: [0, 2] },
      { tools: ['c'], grants: [1, 2] },
      { grants: [2] },
    ]);
    // b is open to every grant: nobody who passes the route is refused it.
    expect(toolClasses([{ role: 'R' }])).toEqual([]);
    expect(toolClasses([{ role: 'R', tools: ['a'] }])).toEqual([]);
  });
});
