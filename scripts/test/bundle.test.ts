/**
 * What each container image runs, built and started here (there is no Docker engine): the runtime stage of
 * `apps/<app>/Dockerfile` is read (its COPY lines, ENV, WORKDIR, CMD), the files it copies are produced the way
 * its build stage does (`bundleApp`, and Vite for mcp-ui's page) into a fresh temporary folder standing in for
 * WORKDIR, and CMD runs there with the image's ENV plus the variables docs/contracts.md gives the app. Nothing
 * else is copied, and no node_modules exists up the tree, so a bundle that still needed a package would fail.
 *
 * Stand-ins: none is needed to start. The OpenID provider, the gateway, HubSpot and SQL Server are never
 * reached (mcp-ui discovers its provider on first sign-in; HubSpot is called per tool). For mcp-mssql the
 * server address is a closed loopback port, so a tool call proves the bundled driver (mssql, tedious) loads
 * and tries to connect.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { build as viteBuild } from 'vite';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startMcpApp } from '@mcp-gateway/mcp-runtime';
import { createApp as createExampleApp, loadConfig as loadExampleConfig } from '@mcp-gateway/mcp-example';
import { appBundleSpec, bundleApp, imageApps, readImageRuntime, type AppName, type ImageRuntime } from '../bundle.ts';
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

/** An image's files, as its build stage makes them, under a fresh folder standing in for its WORKDIR. */
interface BuiltImage {
  app: AppName;
  image: ImageRuntime;
  workdir: string;
}

const builds = new Map<AppName, Promise<BuiltImage>>();

/** Builds each image's files once per run. */
function buildImage(app: AppName): Promise<BuiltImage> {
  let built = builds.get(app);
  if (!built) builds.set(app, (built = buildImageFiles(app)));
  return built;
}

async function buildImageFiles(app: AppName): Promise<BuiltImage> {
  const image = readImageRuntime(app);
  expect(image.from).toBe('node:24-bookworm-slim');
  expect(image.user).toBe('node');
  expect(image.cmd[0]).toBe('node');
  expect(image.buildRuns.join(' && ')).toContain(`node scripts/bundle.ts ${app}`);
  const workdir = await freshFolder(`image-${app}-`);
  expect(nodeModulesAbove(workdir)).toBeUndefined();
  for (const copy of image.copies) {
    const target = resolve(workdir, copy.to);
    if (copy.from === appBundleSpec(app).defaultOut) {
      await bundleApp(app, target);
    } else if (app === 'mcp-ui' && copy.from === 'apps/mcp-ui/dist') {
      // The build stage's `npm run build -w apps/mcp-ui`, written here instead of the shared apps/mcp-ui/dist.
      expect(image.buildRuns.join(' && ')).toContain('npm run build -w apps/mcp-ui');
      await viteBuild({ configFile: join(REPO_ROOT, 'apps/mcp-ui/vite.config.ts'), logLevel: 'silent', build: { outDir: target, emptyOutDir: true } });
    } else {
      throw new Error(`apps/${app}/Dockerfile copies ${copy.from}, which this test does not know how to build`);
    }
  }
  return { app, image, workdir };
}

/** A started image: its process, its output so far, and its address once it said it listens. */
interface Started {
  child: ChildProcess;
  output: () => string;
  baseUrl: string;
}

/** The process environment: the image's ENV, then the app's variables (no variable of this test run leaks in). */
function imageEnv(built: BuiltImage, env: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, ...built.image.env, ...env };
}

function run(built: BuiltImage, env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, built.image.cmd.slice(1), { cwd: built.workdir, env: imageEnv(built, env), stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  return { child, output: () => text };
}

/** Runs CMD and waits for the JSON log line that says it listens (the port comes from that line: PORT=0). */
async function start(built: BuiltImage, env: Record<string, string>): Promise<Started> {
  const { child, output } = run(built, { HOST: '127.0.0.1', PORT: '0', ...env });
  const deadline = Date.now() + 15_000;
  for (;;) {
    const listening = output()
      .split('\n')
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as { msg?: string; port?: number | string }];
        } catch {
          return [];
        }
      })
      .find((line) => /listening/.test(line.msg ?? '') && line.port !== undefined);
    if (listening) return { child, output, baseUrl: `http://127.0.0.1:${listening.port}` };
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${built.app} did not start (exit ${child.exitCode}):\n${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** SIGTERM, then the exit code (the test fails rather than hangs if it does not stop within 15 s). */
async function stop(started: Started): Promise<number | null> {
  const exited = once(started.child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  started.child.kill('SIGTERM');
  const timer = setTimeout(() => started.child.kill('SIGKILL'), 15_000);
  const [code, signal] = await exited;
  clearTimeout(timer);
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

describe('each image holds only its bundle (and mcp-ui its page)', () => {
  it.each(imageApps())('%s', async (app) => {
    const built = await buildImage(app);
    const files = await readdir(built.workdir, { recursive: true });
    const expected = built.image.copies.map((copy) => resolve(built.workdir, copy.to));
    for (const file of files) {
      const full = join(built.workdir, file);
      expect(expected.some((path) => full === path || full.startsWith(path + '/') || path.startsWith(full + '/')), file).toBe(true);
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
    expect(built.image.env.NODE_OPTIONS).toMatch(/--max-old-space-size=\d+/);
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
