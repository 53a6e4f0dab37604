/**
 * Who gains or loses access to which MCP server or tool between two renderings of one environment (pure). It
 * reads what the gateway enforces, not the registry: each MCP route's `traffic.authorization` and its backend's
 * `backend.mcp.authorization`, evaluated with agentgateway v1.4.1's semantics (`rulesAllow`) for every kind of
 * caller the rules name (each app role held by a person and by an application, each scope, each group) and for
 * every signed-in person and every application holding none of them; tools are those the rules list and those of
 * the server's tool lock (ConfigMap `<name>-tool-lock`; "the whole server" is all of them), plus "every other tool"
 * for a server without a lock. Rules whose text changes without changing any of these answers are reported as such (a condition
 * on other claims cannot be enumerated).
 */
import { parseLock } from '@mcp-gateway/tool-lock';
import { serverNames } from '../../generators/src/names.ts';
import { rulesAllow, type AuthorizationRules } from '../../generators/src/validate/agentgateway-cel.ts';
import type { KubeObject } from './diff-objects.ts';

/** One line of the access section: `+` gains, `-` loses, `~` rules changed with no difference found. */
export interface AccessChange {
  sign: '+' | '-' | '~';
  server: string;
  /** The kind of caller, in words; empty for `~`. */
  who: string;
  /** The tools gained or lost; undefined: the whole server (or, for `~`, nothing to list). */
  tools?: string[];
}

/** Every tool the rules do not list by name. */
export const OTHER_TOOLS = '(every tool the rules do not name)';

type Any = Record<string, any>;
interface ServerRules {
  route: AuthorizationRules[];
  tools: AuthorizationRules[];
  /** The tools of the server's lock, when it has one. */
  locked?: string[];
}

/** The tool names of a server's rendered lock. */
function lockedTools(objects: KubeObject[], server: string): string[] | undefined {
  const text = (objects.find((o) => o.kind === 'ConfigMap' && o.metadata?.name === serverNames(server).toolLock) as Any | undefined)?.data?.['tools.json'];
  if (typeof text !== 'string') return undefined;
  try {
    return parseLock(text).tools.map((tool) => tool.name);
  } catch {
    return undefined;
  }
}

const rulesOf = (authorization: Any): AuthorizationRules => ({ action: authorization.action ?? 'Allow', expressions: authorization.policy?.matchExpressions ?? [] });

/** MCP server (the route's backend target) → the rules of its route and of its backend. */
function serverRules(objects: KubeObject[]): Map<string, ServerRules> {
  const policies = objects.filter((o) => o.kind === 'AgentgatewayPolicy') as Any[];
  const targeting = (kind: string, name: string) => policies.filter((p) => (p.spec?.targetRefs ?? []).some((r: Any) => r.kind === kind && r.name === name));
  const out = new Map<string, ServerRules>();
  for (const route of objects.filter((o) => o.kind === 'HTTPRoute') as Any[]) {
    for (const ref of (route.spec?.rules ?? []).flatMap((r: Any) => r.backendRefs ?? [])) {
      const backend = objects.find((o) => o.kind === 'AgentgatewayBackend' && o.metadata?.name === ref.name) as Any | undefined;
      const target = backend?.spec?.mcp?.targets?.[0]?.name;
      if (ref.kind !== 'AgentgatewayBackend' || !target) continue;
      const locked = lockedTools(objects, target);
      out.set(target, {
        route: targeting('HTTPRoute', route.metadata.name).filter((p) => p.spec.traffic?.authorization).map((p) => rulesOf(p.spec.traffic.authorization)),
        tools: targeting('AgentgatewayBackend', ref.name).filter((p) => p.spec.backend?.mcp?.authorization).map((p) => rulesOf(p.spec.backend.mcp.authorization)),
        ...(locked ? { locked } : {}),
      });
    }
  }
  return out;
}

const matches = (texts: string[], pattern: RegExp): string[] => [...new Set(texts.flatMap((t) => [...t.matchAll(pattern)].map((m) => m[1]!)))].sort();

/** A kind of caller and the token claims that stand for it; `base` callers are those holding nothing named. */
interface Caller {
  who: string;
  /** How the caller reads together with its application (or person) twin: `... with the app role X`. */
  holding?: string;
  kind: 'person' | 'application';
  base?: true;
  jwt: Record<string, unknown>;
}

const person = (extra: Record<string, unknown> = {}) => ({ oid: 'p', sub: 'p', scp: '', ...extra });
const application = (extra: Record<string, unknown> = {}) => ({ oid: 'a', sub: 'a', azp: 'a', idtyp: 'app', ...extra });

/** The callers the rules of both sides name, plus everyone without any of them. */
function callers(texts: string[]): Caller[] {
  const roles = matches(texts, /"([^"]+)" in jwt\.roles/g);
  const scopes = matches(texts, /"([^"]+)" in jwt\.scp\.split\(" "\)/g);
  const groups = matches(texts, /"([^"]+)" in jwt\.groups/g);
  return [
    { who: 'every signed-in person', kind: 'person', base: true, jwt: person() },
    { who: 'every application', kind: 'application', base: true, jwt: application() },
    ...roles.flatMap((r): Caller[] => [
      { who: `people with the app role ${r}`, holding: `the app role ${r}`, kind: 'person', jwt: person({ roles: [r] }) },
      { who: `applications with the app role ${r}`, holding: `the app role ${r}`, kind: 'application', jwt: application({ roles: [r] }) },
    ]),
    ...scopes.map((s): Caller => ({ who: `people with the scope ${s}`, kind: 'person', jwt: person({ scp: s }) })),
    ...groups.map((g): Caller => ({ who: `members of the group ${g}`, kind: 'person', jwt: person({ groups: [g] }) })),
  ];
}

/** The tools a caller may use on a server, or undefined when the route refuses it. */
function allowedTools(rules: ServerRules | undefined, caller: Caller, server: string, tools: string[]): Set<string> | undefined {
  if (!rules || !rulesAllow(rules.route, { jwt: caller.jwt })) return undefined;
  const name = (tool: string) => (tool === OTHER_TOOLS ? '\u0000an unlisted tool' : tool);
  return new Set(tools.filter((t) => rulesAllow(rules.tools, { jwt: caller.jwt, mcp: { tool: { target: server, name: name(t) } } })));
}

/** The access changes from `before` to `after`, by server, then caller, in a fixed order. */
export function diffAccess(before: KubeObject[], after: KubeObject[]): AccessChange[] {
  const [old, next] = [serverRules(before), serverRules(after)];
  const changes: AccessChange[] = [];
  for (const server of [...new Set([...old.keys(), ...next.keys()])].sort()) {
    const sides = [old.get(server), next.get(server)].filter((r): r is ServerRules => r !== undefined);
    const texts = sides.flatMap((r) => [...r.route, ...r.tools].flatMap((s) => s.expressions));
    const named = matches(texts, /mcp\.tool\.name in \[([^\]]*)\]/g).flatMap((list) => matches([list], /"([^"]+)"/g));
    const unlocked = sides.some((r) => !r.locked);
    const tools = [...new Set([...named, ...sides.flatMap((r) => r.locked ?? []), ...(unlocked ? [OTHER_TOOLS] : [])])].sort();
    // "The whole server": every tool of its lock, or every tool at all without one.
    const whole = (rules: ServerRules, set: Set<string>) => (rules.locked ?? tools).every((t) => set.has(t));
    const found: AccessChange[] = [];
    // A change every person (or application) gets is said once, not again for each role, scope or group.
    const ofEveryone = new Set<string>();
    const record = (caller: Caller, change: AccessChange) => {
      const key = `${caller.kind}|${change.sign}|${change.tools?.join(',') ?? '*'}`;
      if (caller.base) ofEveryone.add(key);
      else if (ofEveryone.has(key)) return;
      found.push(change);
    };
    for (const caller of callers(texts)) {
      const was = allowedTools(old.get(server), caller, server, tools);
      const is = allowedTools(next.get(server), caller, server, tools);
      if (!was && !is) continue;
      if (!was || !is) {
        const gained = !was;
        const set = (gained ? is : was)!;
        const rules = (gained ? next.get(server) : old.get(server))!;
        record(caller, { sign: gained ? '+' : '-', server, who: caller.who, ...(whole(rules, set) ? {} : { tools: [...set] }) });
        continue;
      }
      const gained = [...is].filter((t) => !was.has(t));
      const lost = [...was].filter((t) => !is.has(t));
      if (gained.length > 0) record(caller, { sign: '+', server, who: caller.who, tools: gained });
      if (lost.length > 0) record(caller, { sign: '-', server, who: caller.who, tools: lost });
    }
    const rulesChanged = JSON.stringify(old.get(server)) !== JSON.stringify(next.get(server));
    changes.push(...(found.length === 0 && rulesChanged && old.has(server) && next.has(server) ? [{ sign: '~' as const, server, who: '' }] : mergeTwins(found)));
  }
  return changes;
}

/** A person's and an application's identical change read as one: `people and applications with the app role X`. */
function mergeTwins(changes: AccessChange[]): AccessChange[] {
  const twin = (c: AccessChange) => (c.who === 'every application' ? 'every signed-in person' : c.who.startsWith('applications with ') ? `people with ${c.who.slice('applications with '.length)}` : undefined);
  const same = (a: AccessChange, b: AccessChange) => a.sign === b.sign && (a.tools ?? []).join() === (b.tools ?? []).join() && !!a.tools === !!b.tools;
  const out: AccessChange[] = [];
  for (const change of changes) {
    const partner = twin(change);
    const index = partner === undefined ? -1 : out.findIndex((c) => c.who === partner && same(c, change));
    if (index < 0) out.push(change);
    else out[index] = { ...out[index]!, who: partner === 'every signed-in person' ? 'every signed-in person and every application' : `people and applications with ${change.who.slice('applications with '.length)}` };
  }
  return out;
}

/** One change as a line: `+ mcp-hubspot: people with the app role HubSpot.Write: create_crm_object, update_crm_object`. */
export function formatAccessChange(change: AccessChange): string {
  if (change.sign === '~') return `~ ${change.server}: the access rules changed, with the same effect for every caller they name`;
  const what = change.tools ? change.tools.join(', ') : 'the whole server';
  return `${change.sign} ${change.server}: ${change.who}: ${what}`;
}
