/** What `npm run dev` prints once the stack is up: where everything is and how to get a token. */
import type { Stack } from './stack.ts';

export function describeStack(stack: Stack, environment: string, applications: string[]): string {
  const gateway = stack.gateway.url.href.replace(/\/$/, '');
  const mcpRoutes = [...stack.processes.keys()].filter((name) => name !== 'mcp-ui').sort().map((name) => `    ${gateway}/mcp/${name}`);
  const cliSecret = stack.secrets.get('dev-cli')!['client-secret'];
  return [
    '',
    `The MCP gateway dev stack is up: environment ${environment}, as its ${applications.length} Argo CD Applications render it. A test harness, not a deployment.`,
    '',
    `  UI                 ${gateway}/ui/   (sign in at /auth with the local Entra stand-in)`,
    '  MCP routes (JWT required):',
    ...mcpRoutes,
    `  Entra stand-in     ${stack.entra.url.href}   (issuer ${stack.entra.issuer})`,
    `  HubSpot stand-in   ${stack.hubspot.url.href}`,
    '',
    'A token for a command-line MCP client (client credentials of the dev-only client "dev-cli"):',
    `  TOKEN=$(curl -s ${stack.entra.tokenUrl.href} -d grant_type=client_credentials -d client_id=dev-cli \\`,
    `    -d client_secret=${cliSecret} -d scope=${stack.entra.apiScope} | node -p 'JSON.parse(require("fs").readFileSync(0)).access_token')`,
    'Then, for example with the MCP Inspector CLI:',
    `  npx @modelcontextprotocol/inspector --cli ${gateway}/mcp/mcp-example --transport http \\`,
    '    --header "Authorization: Bearer $TOKEN" --method tools/list',
    '',
    'Ctrl-C stops every process.',
  ].join('\n');
}
