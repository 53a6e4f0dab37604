/**
 * A server's grants as the CEL agentgateway v1.4.1 evaluates: the route rule every caller must pass
 * (`traffic.authorization`), the tool rule (`backend.mcp.authorization`: tools a caller may not use are left out
 * of `tools/list` and refused on call), and the refusals that tell a caller which role a tool needs (conditional
 * direct responses on the route, read from the JSON-RPC body). Pure: grants in, expressions out.
 */
import { toolClasses } from '../registry/access.ts';
import type { Grant, Server } from '../registry/types.ts';

/** A CEL string literal. */
const literal = (text: string): string => JSON.stringify(text);
const list = (items: string[]): string => `[${items.map(literal).join(', ')}]`;

/** The verified tokens a grant admits, as CEL over `jwt` (only standard CEL, so it is evaluated at generate time too). */
export function grantCondition(grant: Grant): string {
  if (grant.role !== undefined) return `has(jwt.roles) && ${literal(grant.role)} in jwt.roles`;
  if (grant.scope !== undefined) return `has(jwt.scp) && ${literal(grant.scope)} in jwt.scp.split(" ")`;
  if (grant.group !== undefined) return `has(jwt.groups) && ${literal(grant.group.toLowerCase())} in jwt.groups`;
  // Delegated tokens carry `scp`, application tokens never do; the JWT policy's issuer already pins the tenant.
  if (grant.everyoneInTenant) return 'has(jwt.scp)';
  return `(${grant.when})`;
}

/** Who a grant admits, in words: for refusals, the UI catalog and the plan. */
export function describeGrant(grant: Grant): string {
  if (grant.role !== undefined) return `the app role ${grant.role}`;
  if (grant.scope !== undefined) return `the delegated scope ${grant.scope}`;
  if (grant.group !== undefined) return `membership of the group ${grant.group}`;
  if (grant.everyoneInTenant) return 'a sign-in to the tenant';
  return 'a condition written in servers.json';
}

/** `a`, `a or b`, `a, b or c`. */
export function either(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

/** `traffic.authorization` of the server's route: a caller any grant admits may use the route (Allow rules are OR-ed). */
export function routeAuthorization(server: Pick<Server, 'access'>) {
  return { action: 'Allow', policy: { matchExpressions: server.access.map((g) => grantCondition(g)) } };
}

/**
 * `backend.mcp.authorization` of the server's backend: one Allow rule per grant; a grant with `tools` admits only
 * those tools (its callers keep the server's resources and prompts). `alsoRequire`, when given, is AND-ed into
 * every rule: a condition every tool call must meet besides the grants (a pinned tool surface).
 */
export function toolAuthorization(server: Pick<Server, 'access'>, alsoRequire?: string) {
  const rules = server.access.map((grant) => {
    const who = grantCondition(grant);
    const rule = grant.tools ? `${who} && (!has(mcp.tool) || mcp.tool.name in ${list(grant.tools)})` : who;
    return alsoRequire ? `(${rule}) && (${alsoRequire})` : rule;
  });
  return { action: 'Allow', policy: { matchExpressions: rules } };
}

/** The JSON-RPC error code of an access refusal (JSON-RPC 2.0 §5.1 leaves -32000 to -32099 to implementations). */
export const ACCESS_DENIED_CODE = -32003;

const BODY = 'json(request.body)';

/**
 * Conditional direct responses that refuse a `tools/call` the caller may not make, with 403 and a JSON-RPC error
 * that names the tool and what it needs. They only word the refusal: the tool rule on the backend is the boundary
 * (it also covers batches and bodies this cannot read, which make the condition fail and the entry not apply).
 * Tools no grant lists are covered by one last entry, when some grant opens every tool, limited to the `locked`
 * tools; a tool no grant opens, or one outside the lock, is left to the backend rule (v1.4.1 answers it as an
 * unknown tool, as it hides it from `tools/list`), so an unlocked tool looks the same to every caller.
 */
export function toolRefusals(server: Pick<Server, 'name' | 'access'>, locked: string[]) {
  const classes = toolClasses(server.access);
  const listed = new Set(server.access.flatMap((g) => g.tools ?? []));
  const unlisted = locked.filter((tool) => !listed.has(tool)).sort();
  return classes.filter(({ tools }) => tools !== undefined || unlisted.length > 0).map(({ tools, grants }) => {
    const names = `${BODY}.params.name in ${list(tools ?? unlisted)}`;
    const allowed = grants.map((g) => `(${grantCondition(server.access[g]!)})`).join(' || ');
    const needs = either(grants.map((g) => describeGrant(server.access[g]!)));
    // toJson quotes the name and never fails, whatever a client sent as the name.
    const message = `${literal(`${server.name}: the tool `)} + toJson(${BODY}.params.name) + ${literal(` needs ${needs}, which this sign-in does not have`)}`;
    return {
      condition: `request.method == "POST" && has(${BODY}.id) && ${BODY}.method == "tools/call" && ${names} && !(${allowed})`,
      policy: {
        status: 403,
        headers: [{ name: 'content-type', value: '"application/json"' }],
        bodyExpression: `{"jsonrpc": "2.0", "id": ${BODY}.id, "error": {"code": ${ACCESS_DENIED_CODE}, "message": ${message}}}`,
      },
    };
  });
}
