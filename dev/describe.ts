/**
 * What `npm run dev` prints once the stack is up: where everything is, and how to point each MCP client at the
 * gateway's routes (the same configuration docs/connect-mcp-clients.md gives for a cluster).
 */
import { DEFAULT_ACCESS_TOKEN_TTL_SECONDS } from './entra-stand-in.ts';
import { MCP_CLIENTS } from './mcp-clients.ts';
import type { Stack } from './stack.ts';

export function describeStack(stack: Stack, environment: string, applications: string[], bridgedIssuer: 'entra' | 'gateway' = 'entra'): string {
  const gateway = stack.gateway.url.href.replace(/\/$/, '');
  const servers = [...stack.processes.keys()].filter((name) => name !== 'mcp-ui').sort();
  const first = { name: servers[0] ?? 'mcp-example', url: `${gateway}/mcp/${servers[0] ?? 'mcp-example'}` };
  const people = stack.entra.users.map((u) => `${u.name} (${u.roles.join(', ') || 'no app roles'})`).join('; ');
  return [
    '',
    `The MCP gateway dev stack is up: environment ${environment}, as its ${applications.length} Argo CD Applications render it. A test harness, not a deployment.`,
    '',
    `  UI                 ${gateway}/ui/   (sign in at /auth with the local Entra stand-in)`,
    '  MCP routes (sign-in required; clients discover it from the 401):',
    ...servers.map((name) => `    ${gateway}/mcp/${name}`),
    `  Entra stand-in     ${stack.entra.url.href}   (issuer ${stack.entra.issuer}; sign in as: ${people})`,
    `  HubSpot stand-in   ${stack.hubspot.url.href}`,
    `  MCP clients' app registration (public client id): ${stack.mcpClientId}`,
    `  Access tokens from the stand-in live ${DEFAULT_ACCESS_TOKEN_TTL_SECONDS / 60} minutes; clients renew them with their refresh token.`,
    '  The dev-only application dev-cli (client credentials) keeps its secret in .dev/state.json across runs (--new-secrets for a new one).',
    '',
    bridgedIssuer === 'entra'
      ? 'The gateway bridges Entra as agentgateway v1.4.1 does, keeping Entra\'s issuer (agentgateway#3080): clients that\n' +
        'check RFC 8414 §3.3 (the MCP SDK v2, the Inspector, Copilot CLI) refuse it. Restart with `npm run dev -- --bridged-issuer gateway`\n' +
        'for the fix on agentgateway main (#3089 / PR #3327).'
      : 'The bridged metadata names the gateway as its issuer (the fix on agentgateway main, #3089 / PR #3327), not v1.4.1.',
    '',
    `Connect an MCP client, for example to ${first.name} (docs/connect-mcp-clients.md has the details):`,
    ...MCP_CLIENTS.flatMap((client) => ['', `  ${client.name}`, ...client.configure(first, stack.mcpClientId).split('\n').map((line) => `    ${line}`)]),
    '',
    'Ctrl-C stops every process. --log <names> shows only some of them; npm run dev -- --help lists the options.',
  ].join('\n');
}
