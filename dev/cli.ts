/**
 * `npm run dev`: the whole system on this machine, no cluster. Renders an environment (default dev) as Argo CD
 * does (each of its Applications with kustomize), then starts the Entra stand-in, the HubSpot stand-in, every MCP
 * server whose source is in apps/, the UI, and the local gateway that serves the rendered routes and JWT policy.
 * Ctrl-C stops everything.
 *
 * Usage: npm run dev [-- --environment dev] [--port 8080] [--bridged-issuer entra|gateway]
 *   --bridged-issuer gateway: the bridged OAuth metadata names the gateway as issuer (agentgateway#3080 fixed), not
 *   Entra as v1.4.1 does; see dev/gateway/README.md.
 * Exit codes: 0 after Ctrl-C, 1 when the stack cannot start (the message says why).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { listEnvironments, renderEnvironment } from '../scripts/applications/environments.ts';
import type { KubeObject } from './gateway/manifests.ts';
import { startStack } from './stack.ts';
import { describeStack } from './describe.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    environment: { type: 'string', default: 'dev' },
    port: { type: 'string', default: '8080' },
    'bridged-issuer': { type: 'string', default: 'entra' },
  },
});
const bridgedIssuer = values['bridged-issuer'];
if (bridgedIssuer !== 'entra' && bridgedIssuer !== 'gateway') {
  console.error(`npm run dev: --bridged-issuer must be entra (v1.4.1) or gateway (the #3080 fix), not "${bridgedIssuer}"`);
  process.exit(2);
}

try {
  const environment = values.environment!;
  const known = await listEnvironments(repoRoot);
  if (!known.includes(environment)) throw new Error(`no environment "${environment}" in overlays/ (there are: ${known.join(', ')})`);
  const applications = await renderEnvironment(repoRoot, environment);
  const objects = applications.flatMap((a) => a.objects) as KubeObject[];
  const stack = await startStack({ objects, repoRoot, gatewayPort: Number(values.port), echo: true, bridgedIssuer });
  console.log(describeStack(stack, environment, applications.map((a) => a.application.metadata.name), bridgedIssuer));
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping the dev stack…');
    await stack.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  console.error(`npm run dev: ${(error as Error).message}`);
  process.exit(1);
}
