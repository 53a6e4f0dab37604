/**
 * What each container image runs, built and started here (there is no Docker engine). Every app is built by the
 * one recipe, apps/Dockerfile: its runtime stage is read (COPY, ENV, WORKDIR, CMD), the files its build stage
 * lays out for the app (`layoutImage`, what `bundle.ts <app> --image` does, and Vite for mcp-ui's page) are
 * produced into a fresh temporary folder standing in for WORKDIR, and CMD runs there with the image's ENV, the
 * NODE_OPTIONS the generator renders for the app's workload from its memory limit, and the variables
 * docs/contracts.md gives the app. Nothing else is copied, and no node_modules exists up the tree, so a bundle
 * that still needed a package would fail.
 *
 * Stand-ins: none is needed to start. The OpenID provider, the gateway, HubSpot and SQL Server are never
 * reached (mcp-ui discovers its provider on first sign-in; HubSpot is called per tool). For mcp-mssql the
 * server address is a closed loopback port, so a tool call proves the bundled driver (mssql, tedious) loads
 * and tries to connect.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { build as viteBuild } from 'vite';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startMcpApp } from '@mcp-gateway/mcp-runtime';
import { createApp as createExampleApp, loadConfig as loadExampleConfig } from '@mcp-gateway/mcp-example';
import { memoryBytes } from '../../generators/src/render/node-runtime.ts';
import { IMAGE_ENTRY, imageApps, readImageRecipe, type AppName } from '../bundle.ts';
import { layoutImageFiles, runImage, startImage, stopImage, type ImageFiles, type RunningImage, type StartedImage } from '../image-run.ts';
import { renderedContainers } from '../image-env.ts';
import { checkMetrics } from '../promtool.ts';
import { REPO_ROOT } from './helpers.ts';

const folders: string[] = [];
afterAll(async () => {
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
});

async function freshFolder(prefix: string): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), prefix));
  folders.push(folder);
  return folder;
}

/** True when `folder` or a folder above it holds node_modules (Node would resolve packages from there). */
function nodeModulesAbove(folder: string): string | undefined {
  for (let dir = folder; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules'))) return join(dir, 'node_modules');
    if (dirname(dir) === dir) return undefined;
  }
}

/** An image's files, as the recipe's build stage lays them out, under a fresh folder standing in for its WORKDIR. */
type BuiltImage = ImageFiles;

const RECIPE = readImageRecipe();

const RENDERED = renderedContainers();

const builds = new Map<AppName, Promise<BuiltImage>>();

/** Builds each image's files once per run. */
function buildImage(app: AppName): Promise<BuiltImage> {
  let built = builds.get(app);
  if (!built) builds.set(app, (built = buildImageFiles(app)));
  return built;
}

async function buildImageFiles(app: AppName): Promise<BuiltImage> {
  const image = RECIPE;
  expect(image.from).toBe('node:24-bookworm-slim');
  expect(image.user).toBe('node');
  expect(image.cmd).toEqual(['node', IMAGE_ENTRY]);
  expect(image.buildArgs).toEqual(['APP']);
  expect(image.buildRuns.join(' && ')).toContain('npm run build --if-present -w "apps/$APP"');
  expect(image.buildRuns.join(' && ')).toContain('node scripts/bundle.ts "$APP" --image /image');
  expect(image.copies).toEqual([{ from: '/image/', to: './' }]);
  const workdir = await freshFolder(`image-${app}-`);
  expect(nodeModulesAbove(workdir)).toBeUndefined();
  const sources: Record<string, string> = {};
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'apps', app, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  if (manifest.scripts?.build !== undefined) {
    // The build stage's `npm run build -w apps/<app>`; only mcp-ui has one (its page), written here to a folder of
    // the test's own instead of the shared apps/mcp-ui/dist.
    expect(app).toBe('mcp-ui');
    const page = await freshFolder('mcp-ui-page-');
    await viteBuild({ configFile: join(REPO_ROOT, 'apps/mcp-ui/vite.config.ts'), logLevel: 'silent', build: { outDir: page, emptyOutDir: true } });
    sources['apps/mcp-ui/dist'] = page;
  }
  return layoutImageFiles(app, workdir, { sources });
}

/** The rendered NODE_OPTIONS, then the app's variables (nothing of this test run leaks in: image-run.ts). */
function withHeapCap(built: BuiltImage, env: Record<string, string>): Record<string, string> {
  const nodeOptions = RENDERED.get(built.app)?.env.NODE_OPTIONS;
  return { ...(nodeOptions !== undefined && { NODE_OPTIONS: nodeOptions }), ...env };
}

function run(built: BuiltImage, env: Record<string, string>): RunningImage {
  return runImage(built, withHeapCap(built, env));
}

/** Runs CMD and waits for the JSON log line that says it listens (the port comes from that line: PORT=0). */
function start(built: BuiltImage, env: Record<string, string>): Promise<StartedImage> {
  return startImage(built, withHeapCap(built, env), 15_000);
}

/** SIGTERM, then the exit code (the test fails rather than hangs if it does not stop within 15 s). */
async function stop(started: StartedImage): Promise<number | null> {
  const { code, signal } = await stopImage(started);
  expect(signal, started.output()).toBeNull();
  return code;
}

async function status(url: string): Promise<number> {
  return (await fetch(url)).status;
}

/** A loopback port nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function listTools(mcpUrl: string): Promise<{ names: string[]; client: Client }> {
  const client = new Client({ name: 'bundle-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl)));
  const { tools } = await client.listTools();
  return { names: tools.map((tool) => tool.name).sort(), client };
}

describe('each image, built by the one recipe, holds only its bundle (and mcp-ui its page)', () => {
  it.each(imageApps())('%s', async (app) => {
    const built = await buildImage(app);
    const files = (await readdir(built.workdir, { recursive: true })).sort();
    if (app === 'mcp-ui') {
      expect(files.filter((file) => !file.startsWith('dist/') && file !== 'dist')).toEqual(['main.mjs', 'server', 'server/dist', 'server/dist/server.mjs']);
      expect(files).toContain('dist/index.html');
    } else {
      expect(files).toEqual([IMAGE_ENTRY]);
    }
  });
});

describe('the heap of every Node workload is capped from its memory limit in servers.json', () => {
  it('every image of the registry gets NODE_OPTIONS that leave the memory limit room', () => {
    expect([...RENDERED.keys()].sort()).toEqual(imageApps());
    for (const [app, { env, memoryLimit }] of RENDERED) {
      const nodeOptions = env.NODE_OPTIONS;
      const match = /^--max-old-space-size=(\d+) --max-semi-space-size=(\d+)$/.exec(nodeOptions ?? '');
      expect(match, `${app}: ${nodeOptions}`).not.toBeNull();
      // Old space plus the young generation (three semi-spaces' worth) stays within 3/4 of the limit.
      const heapMiB = Number(match![1]) + 3 * Number(match![2]);
      expect(heapMiB * 2 ** 20, app).toBeLessThanOrEqual(memoryBytes(memoryLimit) * 0.75);
    }
  });

  it.each(['mcp-example', 'mcp-hubspot', 'mcp-mssql'])('%s runs with that cap (its /metrics reports the V8 heap limit; promtool check metrics accepts it)', async (app) => {
    const built = await buildImage(app);
    const env: Record<string, string> = app === 'mcp-hubspot' ? { HUBSPOT_ACCESS_TOKEN: 'pat-na1-heap-test', HUBSPOT_BASE_URL: 'http://127.0.0.1:9' } : app === 'mcp-mssql' ? { MSSQL_SERVER: '' } : {};
    const started = await start(built, env);
    try {
      const metrics = await (await fetch(`${started.baseUrl}/metrics`)).text();
      const limit = Number(/^nodejs_heap_size_limit_bytes (\d+)$/m.exec(metrics)?.[1]);
      const [, oldSpace] = /--max-old-space-size=(\d+)/.exec(RENDERED.get(app)!.env.NODE_OPTIONS!)!;
      expect(limit).toBeGreaterThanOrEqual(Number(oldSpace) * 2 ** 20);
      expect(limit).toBeLessThan(memoryBytes(RENDERED.get(app)!.memoryLimit));
      expect(await checkMetrics(metrics)).toEqual({ code: 0, output: '' });
    } finally {
      expect(await stop(started)).toBe(0);
    }
  });
});

/** The apps with a start test of their own below; any other app with a Dockerfile gets the generic one. */
const STARTED_BELOW = ['mcp-example', 'mcp-hubspot', 'mcp-mssql', 'mcp-ui', 'token-refresh'];

describe('the programs the images run', () => {
  for (const app of imageApps().filter((name) => !STARTED_BELOW.includes(name))) {
    it(`${app} (a server on the shared runtime, started with its defaults): healthy, stops on SIGTERM with 0`, async () => {
      const started = await start(await buildImage(app), {});
      try {
        expect(await status(`${started.baseUrl}/healthz`)).toBe(200);
      } finally {
        expect(await stop(started)).toBe(0);
      }
    });
  }

  it('mcp-example: healthy, its tools over MCP as from the sources, stops on SIGTERM with 0', async () => {
    const built = await buildImage('mcp-example');
    const started = await start(built, {});
    try {
      expect(await status(`${started.baseUrl}/healthz`)).toBe(200);
      const { names, client } = await listTools(`${started.baseUrl}/mcp`);
      const echo = await client.callTool({ name: 'echo', arguments: { text: 'from the bundle' } });
      await client.close();
      expect(JSON.stringify(echo.content)).toContain('from the bundle');
      // The same tools as the TypeScript sources serve in-process.
      const fromSources = await startMcpApp(createExampleApp(loadExampleConfig({})), { port: 0, host: '127.0.0.1' }, { logSink: () => {} });
      try {
        const reference = await listTools(String(fromSources.url));
        await reference.client.close();
        expect(names).toEqual(reference.names);
        expect(names).toContain('echo');
      } finally {
        await fromSources.close();
      }
    } finally {
      expect(await stop(started)).toBe(0);
    }
  });

  it('mcp-hubspot: with a token file it is healthy and ready; stops on SIGTERM with 0', async () => {
    const built = await buildImage('mcp-hubspot');
    const secrets = await freshFolder('hubspot-token-');
    await writeFile(join(secrets, 'access-token'), 'pat-na1-bundle-test\n');
    const started = await start(built, {
      HUBSPOT_ACCESS_TOKEN_FILE: join(secrets, 'access-token'),
      // Never called: no tool runs here.
      HUBSPOT_BASE_URL: 'http://127.0.0.1:9',
    });
    try {
      expect(await status(`${started.baseUrl}/healthz`)).toBe(200);
      expect(await status(`${started.baseUrl}/readyz`)).toBe(200);
    } finally {
      expect(await stop(started)).toBe(0);
    }
  });

  it('mcp-mssql: starts without a server and reports not ready; the bundled driver reaches for SQL Server', async () => {
    const built = await buildImage('mcp-mssql');
    const unconfigured = await start(built, { MSSQL_SERVER: '' });
    try {
      expect(await status(`${unconfigured.baseUrl}/healthz`)).toBe(200);
      expect(await status(`${unconfigured.baseUrl}/readyz`)).toBe(503);
    } finally {
      expect(await stop(unconfigured)).toBe(0);
    }

    const login = await freshFolder('mssql-login-');
    await writeFile(join(login, 'username'), 'reader');
    await writeFile(join(login, 'password'), 'not-a-real-password');
    const closed = await start(built, {
      MSSQL_SERVER: '127.0.0.1',
      MSSQL_PORT: String(await closedPort()),
      MSSQL_DATABASE: 'app',
      MSSQL_USER_FILE: join(login, 'username'),
      MSSQL_PASSWORD_FILE: join(login, 'password'),
      MSSQL_TRUST_SERVER_CERTIFICATE: 'true',
    });
    try {
      const { client } = await listTools(`${closed.baseUrl}/mcp`);
      const result = await client.callTool({ name: 'list_schemas', arguments: {} });
      await client.close();
      // tedious's own connection error, mapped by the app: the driver was found, loaded and ran.
      expect(result.isError).toBe(true);
      expect(JSON.stringify(result.content)).toMatch(/error \(connection\): cannot reach SQL Server: Failed to connect to 127\.0\.0\.1:\d+/);
      expect(closed.output()).not.toMatch(/Cannot find (module|package)/);
    } finally {
      expect(await stop(closed)).toBe(0);
    }
  });

  it('mcp-ui: healthy, ready with its catalog and the page where the image puts it; stops on SIGTERM with 0', async () => {
    const built = await buildImage('mcp-ui');
    const files = await freshFolder('mcp-ui-files-');
    await writeFile(join(files, 'client-secret'), 'bundle-test-client-secret');
    await writeFile(join(files, 'session-key'), 'k'.repeat(48));
    await mkdir(join(files, 'catalog'));
    await writeFile(join(files, 'catalog', 'catalog.json'), JSON.stringify({ servers: [{ name: 'mcp-example', description: 'Example.', path: '/mcp/mcp-example' }] }));
    const started = await start(built, {
      PUBLIC_URL: 'http://127.0.0.1:3000',
      // Discovered on the first sign-in only; this test never signs in.
      OIDC_ISSUER: `http://127.0.0.1:${await closedPort()}/`,
      OIDC_CLIENT_ID: 'mcp-ui',
      OIDC_CLIENT_SECRET_FILE: join(files, 'client-secret'),
      OIDC_SCOPES: 'openid profile offline_access api://mcp/.default',
      SESSION_KEY_FILE: join(files, 'session-key'),
      GATEWAY_URL: 'http://127.0.0.1:9',
      CATALOG_FILE: join(files, 'catalog', 'catalog.json'),
      METRICS_PORT: '0',
    });
    try {
      expect(await status(`${started.baseUrl}/healthz`)).toBe(200);
      const ready = await fetch(`${started.baseUrl}/readyz`);
      expect(ready.status, await ready.clone().text()).toBe(200);
      const page = await fetch(`${started.baseUrl}/ui/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(await page.text()).toContain('/ui/assets/');
      // The server's own code is not among the files it serves.
      expect(await status(`${started.baseUrl}/ui/server/dist/server.mjs`)).toBe(404);
      // Its metrics are on METRICS_PORT, as the listening line says, and pass promtool.
      const metricsPort = /"metricsPort":"(\d+)"/.exec(started.output())?.[1];
      expect(metricsPort, started.output()).toBeDefined();
      expect(await status(`${started.baseUrl}/metrics`)).toBe(404);
      const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      expect(metrics).toMatch(/^mcp_ui_http_requests_total\{route="readyz",status="200"\} 1$/m);
      expect(await checkMetrics(metrics)).toEqual({ code: 0, output: '' });
    } finally {
      expect(await stop(started)).toBe(0);
    }
  });

  it('token-refresh: one run with a required variable missing exits 2 naming it', async () => {
    const built = await buildImage('token-refresh');
    const credentials = await freshFolder('oauth-credentials-');
    const { child, output } = run(built, {
      TOKEN_PROVIDER: 'hubspot',
      TOKEN_URL: 'http://127.0.0.1:9/oauth/2026-03/token',
      CREDENTIALS_DIR: credentials,
      CREDENTIALS_SECRET_NAME: 'hubspot-oauth-credentials',
      ACCESS_TOKEN_SECRET_NAME: 'hubspot-access-token',
      HTTP_TIMEOUT_MS: '10000',
      MAX_ATTEMPTS: '5',
      // POD_NAMESPACE (the downward API's namespace) is left out on purpose.
    });
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code, output()).toBe(2);
    expect(output()).toContain('POD_NAMESPACE is required');
    expect(output()).not.toMatch(/Cannot find (module|package)|ERR_/);
  });
});
