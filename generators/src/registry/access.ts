/**
 * Checks of who may use what: every server says it (`access`), each grant names exactly one kind of caller, a role
 * is one the API registration declares (`auth.appRoles`), and a `when` condition is CEL over claims Entra issues.
 */
import { celProblems } from '../validate/agentgateway-cel.ts';
import type { AppRole, Grant, Server } from './types.ts';

/** A problem with the path segments of its field (checks.ts's LocatedProblem, without the cycle). */
type Located = { segments: (string | number)[]; where: string; message: string };
const at = (segments: (string | number)[], message: string): Located => ({ segments, where: '', message });

/** The kinds of caller a grant can name; exactly one per grant. */
export const GRANT_KINDS = ['role', 'scope', 'group', 'everyoneInTenant', 'when'] as const;

/** How to write an access rule, for the refusal of a server without one. */
export function accessExample(): string {
  return (
    'add "access", e.g. [{"role": "Reports.Read"}] (an app role declared in auth.appRoles); ' +
    '[{"role": "Reports.Read", "tools": ["list_reports"]}, {"role": "Reports.Admin"}] to open some tools to one role and all of them to another; ' +
    'or [{"everyoneInTenant": true}] for every person signed in to the tenant (generators/README.md, "Access")'
  );
}

function checkGrant(grant: Grant, where: (string | number)[], appRoles: AppRole[] | undefined): Located[] {
  const kinds = GRANT_KINDS.filter((k) => grant[k] !== undefined);
  if (kinds.length !== 1) {
    const found = kinds.length === 0 ? 'none' : kinds.join(' and ');
    return [at(where, `a grant names exactly one of ${GRANT_KINDS.join(', ')} (found ${found}); write one grant per kind of caller`)];
  }
  const problems: Located[] = [];
  if (grant.role !== undefined && appRoles && !appRoles.some((r) => r.value === grant.role)) {
    const declared = appRoles.length === 0 ? 'none is declared' : `declared: ${appRoles.map((r) => r.value).join(', ')}`;
    problems.push(at([...where, 'role'], `"${grant.role}" is not an app role of auth.appRoles (${declared}); declare it there with a displayName and description, or correct the name`));
  }
  if (grant.when !== undefined) {
    for (const problem of celProblems(grant.when, 'claims', 'condition')) problems.push(at([...where, 'when'], `the CEL condition ${problem}`));
  }
  return problems;
}

/** Problems of one server's `access` (at index `i` of the source). `appRoles` is undefined when `auth` is itself broken. */
export function checkServerAccess(server: Server, i: number, appRoles: AppRole[] | undefined): Located[] {
  if (server.access === undefined) return [at(['servers', i], `server "${server.name}" has no access rule, and none is assumed: ${accessExample()}`)];
  const problems = server.access.flatMap((grant, g) => checkGrant(grant, ['servers', i, 'access', g], appRoles));
  const classes = toolClasses(server.access).length;
  if (classes > MAX_TOOL_CLASSES) {
    problems.push(at(['servers', i, 'access'], `the grants split the tools into ${classes} groups with different callers; the gateway can word at most ${MAX_TOOL_CLASSES} refusals per route: give grants the same tool lists where you can`));
  }
  return problems;
}

/** App role values are unique (Entra refuses two roles with one value). */
export function checkAppRoles(appRoles: AppRole[]): Located[] {
  const first = new Map<string, number>();
  return appRoles.flatMap((role, r) => {
    const seen = first.get(role.value);
    if (seen === undefined) return (first.set(role.value, r), []);
    return [at(['auth', 'appRoles', r, 'value'], `duplicate app role "${role.value}" (also auth.appRoles[${seen}])`)];
  });
}

/**
 * The tools of a server grouped by the grants that open them, keeping only groups some caller of the server is
 * refused: each listed tool with every grant that lists it or lists no tools; then the unlisted tools (`tools`
 * undefined), open to the grants without `tools` only. Classes are ordered by their first tool.
 */
export function toolClasses(grants: Grant[]): { tools?: string[]; grants: number[] }[] {
  const everyTool = grants.flatMap((g, i) => (g.tools === undefined ? [i] : []));
  const byGrants = new Map<string, { tools: string[]; grants: number[] }>();
  const listed = [...new Set(grants.flatMap((g) => g.tools ?? []))].sort();
  for (const tool of listed) {
    const opening = grants.flatMap((g, i) => (g.tools === undefined || g.tools.includes(tool) ? [i] : []));
    const key = opening.join(',');
    const entry = byGrants.get(key) ?? { tools: [], grants: opening };
    entry.tools.push(tool);
    byGrants.set(key, entry);
  }
  const classes: { tools?: string[]; grants: number[] }[] = [...byGrants.values()];
  if (listed.length > 0) classes.push({ grants: everyTool });
  return classes.filter((c) => c.grants.length > 0 && c.grants.length < grants.length);
}

/** The most tool classes a server may have: the CRD allows 16 conditional direct responses, one is the scope's. */
export const MAX_TOOL_CLASSES = 15;
