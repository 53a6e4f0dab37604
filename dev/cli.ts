/**
 * `npm run dev`: the whole system on this machine, no cluster. Builds an overlay (default overlays/dev) with
 * kustomize, then starts the Entra stand-in, the HubSpot stand-in, every MCP server whose source is in apps/,
 * the UI, and the local gateway that serves the rendered routes and JWT policy. Ctrl-C stops everything.
 *
 * Usage: npm run dev [-- --overlay overlays/dev] [--port 8080] [--bridged-issuer entra|gateway]
 *   --bridged-issuer gateway: the bridged OAuth metadata names the gateway as issuer (agentgateway#3080 fixed), not
 *   Entra as v1.4.1 does; see dev/gateway/README.md.
 * Exit codes: 0 after Ctrl-C, 1 when the stack cannot start (the message says why).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { kustomizeBuild } from '../generators/src/index.ts';
import { startStack } from './stack.ts';
import { describeStack } from './describe.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    overlay: { type: 'string', default: 'overlays/dev' },
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
  const objects = await kustomizeBuild(path.resolve(repoRoot, values.overlay!));
  const stack = await startStack({ objects, repoRoot, gatewayPort: Number(values.port), echo: true, bridgedIssuer });
  console.log(describeStack(stack, values.overlay!, bridgedIssuer));
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
