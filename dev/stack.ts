/**
 * The whole system on one machine, driven by the rendered manifests (the build of an overlay):
 * the Entra stand-in with the policy's issuer, every workload whose source is in apps/ as a child process
 * with the environment and mounts its pod spec gives it, and the local gateway serving the HTTPRoutes.
 * Used by `npm run dev` and by the end-to-end tests. A test harness; never deployed.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readGatewayModel, type KubeObject, type Upstream } from './gateway/manifests.ts';
import { startLocalGateway, type LocalGateway } from './gateway/server.ts';
import { startEntraStandIn, type EntraStandIn } from './entra-stand-in.ts';
import { readLocalWorkloads, remapPath, serviceOfHost, type LocalWorkload } from './workloads.ts';
import { dismissReaper, freePort, reap, startProcess, type Echo, type LocalProcess } from './processes.ts';
import { writeVolume } from './volumes.ts';
import { devSecretValues, type DevSecrets } from './secrets.ts';
import { MCP_CLIENT_REDIRECT_URIS } from './mcp-clients.ts';
import { startHubSpotStandIn, type HubSpotStandIn } from './hubspot.ts';
import { startSessionStoreFor } from './redis.ts';
import { STAND_IN_APPLICATIONS } from './entra-users.ts';

export interface StackOptions {
  objects: KubeObject[];
  repoRoot: string;
  gatewayPort?: number;
  /** The Entra stand-in's port (default: any free port). */
  entraPort?: number;
  /** Secret values to use instead of fresh random ones (npm run dev keeps the dev client's across runs). */
  secrets?: Partial<Record<string, Record<string, string>>>;
  /** Every process's output, line by line (true: to stdout with a [name] prefix). */
  echo?: Echo | boolean;
  /** The issuer of the gateway's bridged authorization-server metadata (LocalGatewayOptions.bridgedIssuer). */
  bridgedIssuer?: 'entra' | 'gateway';
}

/** The public client MCP clients sign in with, when the policy names none (it always does when rendered). */
const FALLBACK_MCP_CLIENT_ID = 'mcp-clients';

export interface Stack {
  gateway: LocalGateway;
  entra: EntraStandIn;
  hubspot: HubSpotStandIn;
  processes: Map<string, LocalProcess>;
  secrets: DevSecrets;
  /** The public client id MCP clients sign in with (the policy's `jwtAuthentication.mcp.clientId`). */
  mcpClientId: string;
  /** Every access log line the gateway wrote, parsed (the audit trail; `npm run dev` also prints them). */
  accessLog: Record<string, unknown>[];
  /** The gateway's clock, which tests move past a token's expiry (v1.4.1 allows 60 s of skew on `exp`). */
  gatewayClock: { advance(ms: number): void; reset(): void };
  /** Plays the kubelet: writes new Secret contents into every local volume of that Secret. */
  updateSecret(name: string, data: Record<string, string>): Promise<void>;
  /** The local folder holding a Secret's volume (the first mount of it). */
  secretDir(name: string): string | undefined;
  close(): Promise<void>;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const model = readGatewayModel(options.objects);
  const policy = model.matches.find((m) => m.jwt)?.jwt;
  if (!policy) throw new Error('no AgentgatewayPolicy with JWT authentication targets a route');
  const workloads = readLocalWorkloads(options.objects, await appsWithSource(options.repoRoot));
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'mcp-dev-'));
  const cleanups: (() => Promise<void>)[] = [() => rm(scratch, { recursive: true, force: true })];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    await dismissReaper();
  };
  const echo: Echo | undefined = options.echo === true ? (source, line) => process.stdout.write(`[${source}] ${line}\n`) : options.echo || undefined;

  try {
    const gatewayPort = options.gatewayPort ?? (await freePort());
    const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
    const ui = workloads.find((w) => w.name === 'mcp-ui');
    const secrets = devSecretValues();
    for (const [name, values] of Object.entries(options.secrets ?? {})) if (values) secrets.set(name, { ...secrets.get(name), ...values });
    const mcpClientId = policy.mcp?.clientId ?? FALLBACK_MCP_CLIENT_ID;
    const advertisedScope = (policy.mcp?.resourceMetadata.scopesSupported as string[] | undefined)?.[0];
    const entra = await startEntraStandIn({
      issuer: policy.issuer,
      audience: policy.audiences[0] ?? 'api',
      apiScope: advertisedScope ?? apiScopeOf(ui) ?? `api://${policy.audiences[0]}/mcp.access`,
      webClients: ui
        ? [{
            clientId: ui.env.OIDC_CLIENT_ID ?? 'mcp-ui',
            clientSecret: secrets.get('mcp-ui-oidc')!['client-secret']!,
            redirectUris: [`${gatewayUrl}/auth/callback`],
            postLogoutRedirectUris: [`${gatewayUrl}/ui/`, `${gatewayUrl}/ui`, `${gatewayUrl}/`],
          }]
        : [],
      publicClients: [{ clientId: mcpClientId, redirectUris: [...MCP_CLIENT_REDIRECT_URIS] }],
      appClients: STAND_IN_APPLICATIONS.map((app) => ({ clientId: app.clientId, clientSecret: secrets.get(app.clientId)!['client-secret']!, roles: [...app.roles] })),
      ...(options.entraPort !== undefined ? { port: options.entraPort } : {}),
    });
    cleanups.push(() => entra.close());
    const hubspot = await startHubSpotStandIn({ validTokens: [secrets.get('hubspot-access-token')!['access-token']!] });
    cleanups.push(() => hubspot.close());

    const volumeDirs = new Map<string, string[]>();
    const processes = new Map<string, LocalProcess>();
    const ports = new Map<string, number>();
    const started = await Promise.all(
      workloads.map(async (workload) => {
        const port = await freePort();
        const mountDirs = await materializeMounts(workload, scratch, secrets, volumeDirs);
        const env = localEnv(workload, { port, mountDirs, gatewayUrl, entra, hubspot });
        const sessionStore = await startSessionStoreFor(env);
        if (sessionStore) {
          reap('+', sessionStore.process.pid);
          cleanups.push(() => sessionStore.close());
        }
        const local = await startProcess({
          name: workload.name,
          entry: entryOf(options.repoRoot, workload.app),
          port,
          env,
          cwd: options.repoRoot,
          ...(echo ? { echo } : {}),
        });
        return { workload, local, port };
      }),
    );
    for (const { workload, local, port } of started) {
      processes.set(workload.name, local);
      cleanups.push(() => local.stop());
      for (const service of workload.services) ports.set(service, port);
    }

    const resolve = (upstream: Upstream) => {
      const service = upstream.kind === 'mcp' ? serviceOfHost(upstream.host) : upstream.service;
      const port = ports.get(service);
      return port ? { host: '127.0.0.1', port } : undefined;
    };
    let clockOffset = 0;
    const accessLog: Record<string, unknown>[] = [];
    const gateway = await startLocalGateway({
      model,
      resolve,
      keys: entra.keys,
      entraOrigin: entra.url,
      bridgedIssuer: options.bridgedIssuer ?? 'entra',
      now: () => new Date(Date.now() + clockOffset),
      ...(echo ? { log: (line: string) => echo('gateway', line) } : {}),
      accessLog: (line: string) => {
        accessLog.push(JSON.parse(line) as Record<string, unknown>);
        if (accessLog.length > 10_000) accessLog.splice(0, 1_000);
        echo?.('access', line);
      },
      port: gatewayPort,
    });
    cleanups.push(() => gateway.close());

    return {
      gateway,
      entra,
      hubspot,
      processes,
      secrets,
      mcpClientId,
      accessLog,
      gatewayClock: {
        advance: (ms) => {
          clockOffset += ms;
        },
        reset: () => {
          clockOffset = 0;
        },
      },
      updateSecret: async (name, data) => {
        secrets.set(name, data);
        for (const dir of volumeDirs.get(name) ?? []) await writeVolume(dir, data);
      },
      secretDir: (name) => volumeDirs.get(name)?.[0],
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

async function appsWithSource(repoRoot: string): Promise<Set<string>> {
  const entries = await readdir(path.join(repoRoot, 'apps'), { withFileTypes: true });
  return new Set(entries.filter((e) => e.isDirectory()).map((e) => e.name));
}

/** The program an image runs: `apps/<app>/src/index.ts`, or the UI's server entry. */
export function entryOf(repoRoot: string, app: string): string {
  for (const candidate of ['src/index.ts', 'src/server/index.ts']) {
    const file = path.join(repoRoot, 'apps', app, candidate);
    if (existsSync(file)) return file;
  }
  throw new Error(`apps/${app} has no src/index.ts or src/server/index.ts`);
}

async function materializeMounts(
  workload: LocalWorkload,
  scratch: string,
  secrets: DevSecrets,
  volumeDirs: Map<string, string[]>,
): Promise<Map<string, string>> {
  const mountDirs = new Map<string, string>();
  for (const mount of workload.mounts) {
    const dir = path.join(scratch, workload.name, mount.mountPath.replace(/[^a-zA-Z0-9]+/g, '_'));
    if (mount.source.kind === 'Secret') {
      await writeVolume(dir, secrets.get(mount.source.name) ?? {});
      volumeDirs.set(mount.source.name, [...(volumeDirs.get(mount.source.name) ?? []), dir]);
    } else if (mount.source.kind === 'ConfigMap') {
      await writeVolume(dir, mount.source.data);
    } else {
      await writeVolume(dir, {});
    }
    mountDirs.set(mount.mountPath, dir);
  }
  return mountDirs;
}

/** The container's environment from the pod spec, with paths, ports and external services pointed at this machine. */
function localEnv(
  workload: LocalWorkload,
  local: { port: number; mountDirs: Map<string, string>; gatewayUrl: string; entra: EntraStandIn; hubspot: HubSpotStandIn },
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(workload.env)) env[name] = remapPath(value, local.mountDirs);
  env.PORT = String(local.port);
  // Every workload renders the same METRICS_PORT; side by side on one machine each takes a free one.
  if ('METRICS_PORT' in env) env.METRICS_PORT = '0';
  env.HOST = '127.0.0.1';
  if (env.TMPDIR === undefined) env.TMPDIR = os.tmpdir();
  if ('HUBSPOT_BASE_URL' in env) env.HUBSPOT_BASE_URL = local.hubspot.url.href.replace(/\/$/, '');
  if ('MSSQL_SERVER' in env) env.MSSQL_SERVER = ''; // no SQL Server here: the server starts and reports not ready
  if ('OIDC_ISSUER' in env) env.OIDC_ISSUER = local.entra.discoveryUrl.href;
  if ('PUBLIC_URL' in env) env.PUBLIC_URL = local.gatewayUrl;
  if ('GATEWAY_URL' in env) env.GATEWAY_URL = local.gatewayUrl;
  return env;
}

function apiScopeOf(ui: LocalWorkload | undefined): string | undefined {
  return ui?.env.OIDC_SCOPES?.split(/\s+/).find((scope) => scope.startsWith('api://'));
}
