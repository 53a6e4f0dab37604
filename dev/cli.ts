/**
 * `npm run dev`: the whole system on this machine, no cluster. Renders an environment (default dev) as Argo CD
 * does (each of its Applications with kustomize), then starts the Entra stand-in, the HubSpot stand-in, every MCP
 * server whose source is in apps/, the UI, and the local gateway that serves the rendered routes and JWT policy.
 *
 * It owns what it starts: Ctrl-C, SIGTERM (also to the npm process), a hang-up or its parent going away stop
 * every child; if it is killed outright, the reaper (reaper.ts) stops them. A child that exits is announced and
 * started again with back-off. A port in use is one line and nothing is left running.
 *
 * Usage: see USAGE below (npm run dev -- --help).
 * Exit codes: 0 after a stop, 1 when the stack cannot start (the message says why), 2 for a bad option.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { listEnvironments, renderEnvironment } from '../scripts/applications/environments.ts';
import { describeStack } from './describe.ts';
import type { KubeObject } from './gateway/manifests.ts';
import { createPrinter } from './log-filter.ts';
import { portIsFree } from './processes.ts';
import { startStack, type Stack } from './stack.ts';

const USAGE = `Usage: npm run dev [-- options]

Runs the system on loopback from the rendered manifests (a test harness, never deployed).

Options:
  --environment <name>      the environment to render and run, a folder of overlays/ (default dev)
  --port <n>                the gateway's port (default 8080)
  --entra-port <n>          the Entra stand-in's port (default: the gateway's port + 1), so its issuer URL
                            stays the same across runs
  --bridged-issuer <which>  entra (default, as agentgateway v1.4.1 does) or gateway (the #3080 fix, for
                            strict clients: MCP SDK v2, Inspector, Copilot CLI); see dev/gateway/README.md
  --log <names>             print only these processes' output, comma-separated (e.g. mcp-ui,gateway)
  --verbose                 also print the servers' 405 answers to clients probing for a GET stream
  --new-secrets             make a new client secret for the dev-only application dev-cli (otherwise
                            the one kept in .dev/state.json is reused)
  -h, --help                this text`;

const repoRoot = path.resolve(import.meta.dirname, '..');
const fail = (code: number, message: string): never => {
  console.error(`npm run dev: ${message}`);
  process.exit(code);
};

let values;
try {
  ({ values } = parseArgs({
    options: {
      environment: { type: 'string', default: 'dev' },
      port: { type: 'string', default: '8080' },
      'entra-port': { type: 'string' },
      'bridged-issuer': { type: 'string', default: 'entra' },
      log: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      'new-secrets': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (error) {
  fail(2, `${(error as Error).message} (npm run dev -- --help lists the options)`);
}
if (values!.help) {
  console.log(USAGE);
  process.exit(0);
}
const options = values!;
const bridgedIssuer = options['bridged-issuer'] as 'entra' | 'gateway';
if (bridgedIssuer !== 'entra' && bridgedIssuer !== 'gateway') fail(2, `--bridged-issuer must be entra (v1.4.1) or gateway (the #3080 fix), not "${String(bridgedIssuer)}"`);
const portOption = (name: string, text: string): number => {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail(2, `--${name} must be a port number (1-65535), not "${text}"`);
  return port;
};
const gatewayPort = portOption('port', options.port!);
const entraPort = portOption('entra-port', options['entra-port'] ?? String(gatewayPort + 1));
const only = options.log ? new Set(options.log.split(',').map((name) => name.trim()).filter(Boolean)) : undefined;

/** The dev client's secret, kept across runs in .dev/state.json (gitignored) unless --new-secrets. */
function devCliSecret(): string {
  const dir = process.env.MCP_DEV_STATE_DIR ?? path.join(repoRoot, '.dev');
  const file = path.join(dir, 'state.json');
  let state: { devCliSecret?: string } = {};
  if (existsSync(file) && !options['new-secrets']) {
    try {
      state = JSON.parse(readFileSync(file, 'utf8')) as typeof state;
    } catch {
      state = {};
    }
  }
  if (typeof state.devCliSecret !== 'string' || state.devCliSecret.length < 16) {
    state.devCliSecret = randomBytes(24).toString('base64url');
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  }
  return state.devCliSecret;
}

for (const [port, what, option] of [[gatewayPort, 'the gateway', '--port'], [entraPort, 'the Entra stand-in', '--entra-port']] as const) {
  if (!(await portIsFree(port))) fail(1, `port ${port} (${what}) is in use; stop what holds it or choose another with ${option}`);
}

let stack: Stack | undefined;
let stopping = false;
const stop = async (why: string, code = 0) => {
  if (stopping) return;
  stopping = true;
  console.log(`\nstopping the dev stack (${why})…`);
  await stack?.close();
  process.exit(code);
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(signal));
// The parent (npm, a shell, a test) went away without a signal: this process is re-parented, so stop.
const parent = process.ppid;
setInterval(() => process.ppid !== parent && void stop('its parent process is gone'), 1000).unref();
process.on('uncaughtException', (error) => {
  console.error(`npm run dev: ${error.message}`);
  void stop('an error', 1);
});

try {
  const environment = options.environment!;
  const known = await listEnvironments(repoRoot);
  if (!known.includes(environment)) fail(2, `no environment "${environment}" in overlays/ (there are: ${known.join(', ')})`);
  const applications = await renderEnvironment(repoRoot, environment);
  const objects = applications.flatMap((a) => a.objects) as KubeObject[];
  stack = await startStack({
    objects,
    repoRoot,
    gatewayPort,
    entraPort,
    secrets: { 'dev-cli': { 'client-secret': devCliSecret() } },
    echo: createPrinter({ ...(only ? { only } : {}), verbose: options.verbose! }),
    bridgedIssuer,
  });
  if (stopping) await stack.close();
  console.log(describeStack(stack, environment, applications.map((a) => a.application.metadata.name), bridgedIssuer));
  const names = new Set([...stack.processes.keys(), 'gateway']);
  const unknown = [...(only ?? [])].filter((name) => !names.has(name));
  if (unknown.length) console.log(`--log: no process named ${unknown.join(', ')}; the names are ${[...names].sort().join(', ')}`);
} catch (error) {
  fail(1, (error as Error).message.split('\n')[0]!);
}
