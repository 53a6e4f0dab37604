/** Checks the JSON Schema cannot express: unique names and paths, reserved paths, name lengths, cron, env. */
import { FIXED, RESERVED_PATHS, WELL_KNOWN_ROOT, nameLimits, serverNames } from '../names.ts';
import { checkAppRoles, checkServerAccess } from './access.ts';
import { cronProblem } from './cron.ts';
import { checkEdge, checkEnvironments } from './environments.ts';
import { defaultInflightBytes, serverBodyLimit } from '../render/node-runtime.ts';
import { checkServerSecrets, checkStringsForCredentials } from './secrets.ts';
import type { LocatedProblem } from './json-position.ts';
import type { AppRole, Registry, Server } from './types.ts';

export type { LocatedProblem } from './json-position.ts';

/** Variables the generator sets itself on every server. */
export const GENERATED_ENV = ['PORT', 'METRICS_PORT', 'MCP_PATH', 'MCP_ALLOWED_HOSTS', 'MCP_MAX_INFLIGHT_REQUESTS', 'MCP_MAX_INFLIGHT_BYTES', 'NODE_OPTIONS', 'MCP_TOOL_LOCK_FILE'] as const;

/** Fields the credential walk over a server skips: checkServerSecrets checks env (with its exceptions) itself. */
const SECRET_CHECKED_FIELDS = new Set(['env', 'notSecrets']);

const at = (segments: (string | number)[], message: string): LocatedProblem => ({ segments, where: '', message });

function isUnder(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

/** A server with its index in the source file (problems name the source index). */
export interface IndexedServer {
  index: number;
  server: Server;
}

function checkNames(servers: IndexedServer[]): LocatedProblem[] {
  const problems: LocatedProblem[] = [];
  const firstByName = new Map<string, number>();
  const firstByCronJob = new Map<string, number>();
  servers.forEach(({ index: i, server }) => {
    const seen = firstByName.get(server.name);
    if (seen !== undefined) problems.push(at(['servers', i, 'name'], `duplicate server name "${server.name}" (also servers[${seen}])`));
    else firstByName.set(server.name, i);
    if (server.name === FIXED.ui) problems.push(at(['servers', i, 'name'], `"${FIXED.ui}" is the UI's name and cannot be a server name`));
    for (const limit of nameLimits(server)) {
      if (limit.name.length > limit.max) {
        problems.push(at(['servers', i, 'name'], `"${server.name}" is too long: the ${limit.what} name "${limit.name}" would be ${limit.name.length} characters, the limit is ${limit.max}`));
      }
    }
    if (server.tokenRefresh) {
      const cronJob = serverNames(server.name).tokenCronJob;
      const other = firstByCronJob.get(cronJob);
      if (other !== undefined) problems.push(at(['servers', i, 'tokenRefresh'], `CronJob name "${cronJob}" is also derived from servers[${other}]`));
      else firstByCronJob.set(cronJob, i);
    }
  });
  return problems;
}

/** Route paths must be unique, outside the reserved ones, and not nested in another server's path. */
function checkPaths(servers: IndexedServer[]): LocatedProblem[] {
  const problems: LocatedProblem[] = [];
  const owners = new Map<string, IndexedServer>();
  for (const entry of servers) {
    const { index: i, server } = entry;
    const where = ['servers', i, 'routePath'];
    const reserved = RESERVED_PATHS.find((p) => isUnder(server.routePath, p));
    if (reserved) problems.push(at(where, `route path "${server.routePath}" is reserved for the UI (${RESERVED_PATHS.join(', ')} and anything under them)`));
    if (isUnder(server.routePath, WELL_KNOWN_ROOT)) problems.push(at(where, `route path "${server.routePath}" is reserved for sign-in discovery (${WELL_KNOWN_ROOT} and anything under it)`));
    const same = owners.get(server.routePath);
    if (same) {
      problems.push(at(where, `route path "${server.routePath}" is already claimed by servers[${same.index}] "${same.server.name}"`));
      continue;
    }
    owners.set(server.routePath, entry);
  }
  // A path nested under another (`/mcp/a/b` under `/mcp/a`): look up every ancestor, so the check stays linear.
  for (const { index: i, server } of servers) {
    const segments = server.routePath.split('/');
    for (let n = segments.length - 1; n > 1; n--) {
      const ancestor = owners.get(segments.slice(0, n).join('/'));
      if (ancestor) problems.push(at(['servers', i, 'routePath'], `route path "${server.routePath}" overlaps "${ancestor.server.routePath}" of servers[${ancestor.index}] "${ancestor.server.name}"`));
    }
  }
  return problems;
}

function checkServerInternals(server: Server, i: number): LocatedProblem[] {
  const problems: LocatedProblem[] = [];
  const base = ['servers', i];
  const envOwner = new Map<string, string>();
  for (const name of Object.keys(server.env)) {
    if ((GENERATED_ENV as readonly string[]).includes(name)) problems.push(at([...base, 'env', name], `${name} is set by the generator; remove it`));
    envOwner.set(name, 'env');
  }
  const bodyLimit = serverBodyLimit(server);
  const inflightBytes = server.inflight.bytes ?? defaultInflightBytes(server.resources.limits.memory);
  if (inflightBytes < bodyLimit) {
    const what = server.inflight.bytes === undefined ? `a 32nd of the memory limit ${server.resources.limits.memory}, ${inflightBytes}` : String(inflightBytes);
    problems.push(at([...base, 'inflight', 'bytes'], `bytes in flight (${what}) must be at least the body limit ${bodyLimit}, or no request could be served; raise inflight.bytes`));
  }
  const mountPaths = new Map<string, number>();
  server.secretMounts.forEach((mount, m) => {
    const where = [...base, 'secretMounts', m];
    if (isUnder(mount.mountPath, '/tmp') || isUnder('/tmp', mount.mountPath)) problems.push(at([...where, 'mountPath'], `"${mount.mountPath}" collides with the /tmp emptyDir`));
    const clash = [...mountPaths.entries()].find(([p]) => isUnder(p, mount.mountPath) || isUnder(mount.mountPath, p));
    if (clash) problems.push(at([...where, 'mountPath'], `"${mount.mountPath}" overlaps secretMounts[${clash[1]}] at "${clash[0]}"`));
    mountPaths.set(mount.mountPath, m);
    for (const name of Object.keys(mount.env)) {
      if ((GENERATED_ENV as readonly string[]).includes(name)) problems.push(at([...where, 'env', name], `${name} is set by the generator; remove it`));
      const owner = envOwner.get(name);
      if (owner) problems.push(at([...where, 'env', name], `variable ${name} is also set by ${owner}`));
      envOwner.set(name, `secretMounts[${m}]`);
    }
  });
  problems.push(...[...checkServerSecrets(server, base), ...checkStringsForCredentials(server, base, SECRET_CHECKED_FIELDS)].map((p) => at(p.segments, p.message)));
  const refresh = server.tokenRefresh;
  if (refresh) {
    const reason = cronProblem(refresh.schedule);
    if (reason) problems.push(at([...base, 'tokenRefresh', 'schedule'], `invalid cron schedule "${refresh.schedule}": ${reason}`));
    if (!server.secretMounts.some((m) => m.secretName === refresh.secretName)) {
      problems.push(at([...base, 'tokenRefresh', 'secretName'], `Secret "${refresh.secretName}" is not mounted by the server; add it to secretMounts`));
    }
    if (refresh.credentialsSecret.name === refresh.secretName) {
      problems.push(at([...base, 'tokenRefresh', 'credentialsSecret', 'name'], 'the credentials Secret must differ from the access-token Secret'));
    }
  }
  return problems;
}

/**
 * Semantic checks over schema-valid servers (defaults applied). When other entries have schema problems the caller
 * passes only the valid ones, plus in `named` every entry whose name itself is valid (so a duplicate name is
 * found even between two entries with other problems): every problem is still reported in one run.
 * `appRoles` is undefined when `auth` itself has schema problems (grants are then checked without it).
 */
export function checkServers(servers: IndexedServer[], named: IndexedServer[] = servers, appRoles?: AppRole[]): LocatedProblem[] {
  return [
    ...checkNames(named),
    ...checkPaths(servers),
    ...servers.flatMap(({ index, server }) => [...checkServerInternals(server, index), ...checkServerAccess(server, index, appRoles)]),
  ];
}

/**
 * The Entra app registrations must fit together: the scope belongs to the API whose tokens the gateway accepts,
 * and MCP clients sign in with a public registration of their own, not the UI's confidential one.
 */
function checkAuth(registry: Registry): LocatedProblem[] {
  const { auth, ui } = registry;
  const problems: LocatedProblem[] = [];
  const applicationIdUri = auth.scope.slice(0, auth.scope.lastIndexOf('/'));
  if (!auth.audiences.includes(applicationIdUri)) {
    problems.push(at(['auth', 'scope'], `the scope's Application ID URI "${applicationIdUri}" is not one of auth.audiences (${auth.audiences.join(', ')}): it must be the API whose tokens the gateway accepts`));
  }
  if (auth.mcpClientId.toLowerCase() === ui.clientId.toLowerCase()) {
    problems.push(at(['auth', 'mcpClientId'], "must differ from ui.clientId: the UI's registration is a confidential Web client, MCP clients need a public one (Mobile and desktop applications, PKCE)"));
  }
  return problems;
}

/**
 * The UI's sessions must end on sign-out for every replica (OWASP ASVS V3.3.1): with more than one, they need the
 * shared store, since in memory each pod knows only its own sign-ins and a sign-out on one leaves the rest alive.
 */
function checkUi(ui: Registry['ui']): LocatedProblem[] {
  const store = ui.sessionStore as { type: string; url?: string; passwordSecret?: unknown; caSecret?: unknown };
  const where = ['ui', 'sessionStore'];
  const problems: LocatedProblem[] = [];
  if (store.type === 'memory' && ui.replicas > 1) {
    problems.push(at(where, `${ui.replicas} UI replicas need a shared session store: with "memory" each pod knows only its own sign-ins, so a sign-out on one leaves the session alive on the others. Set "sessionStore": {"type": "redis", "url": "rediss://mcp-ui@<host>:6380", "passwordSecret": {"name": "mcp-ui-session-store", "key": "password"}} (docs/operations.md, "UI sessions"), or "replicas": 1`));
  }
  for (const field of ['url', 'passwordSecret', 'caSecret'] as const) {
    if (store.type === 'memory' && store[field] !== undefined) problems.push(at([...where, field], `${field} is for "type": "redis"; remove it or set the type`));
  }
  if (store.type === 'redis' && store.caSecret !== undefined && !store.url?.startsWith('rediss://')) {
    problems.push(at([...where, 'caSecret'], 'a CA is for TLS: use a rediss:// url, or remove caSecret'));
  }
  return problems;
}

/** Semantic checks of a whole schema-valid registry. */
export function checkRegistry(registry: Registry): LocatedProblem[] {
  const { servers, ...rest } = registry;
  const outsideServers = checkStringsForCredentials(rest, [], new Set(['$schema'])).map((p) => at(p.segments, p.message));
  const indexed = servers.map((server, index) => ({ index, server }));
  const fitTogether = (r: Registry) => [...checkAuth(r), ...checkEdge(r)];
  return [
    ...fitTogether(registry),
    ...checkEnvironments(registry, fitTogether),
    ...checkAppRoles(registry.auth.appRoles),
    ...checkServers(indexed, indexed, registry.auth.appRoles),
    ...checkUi(registry.ui),
    ...checkMetricsPort(registry),
    ...outsideServers,
  ];
}

/** The metrics port is a second port of every pod: it must differ from the port each serves. */
function checkMetricsPort(registry: Registry): LocatedProblem[] {
  const { metricsPort } = registry.monitoring;
  const where = ['monitoring', 'metricsPort'];
  const clashes = [
    ...(metricsPort === FIXED.uiPort ? [`the UI's port ${FIXED.uiPort}`] : []),
    ...registry.servers.filter((server) => server.port === metricsPort).map((server) => `the port of server "${server.name}"`),
  ];
  return clashes.map((clash) => at(where, `${metricsPort} is ${clash}; /metrics needs a port of its own`));
}
