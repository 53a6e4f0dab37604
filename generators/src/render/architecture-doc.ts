/** `docs/architecture.md`: a Mermaid diagram of the gateway, routes, backends, services and CronJobs, from the registry. */
import { sourceOf } from './placed.ts';
import { FIXED, serverNames } from '../names.ts';
import type { Registry } from '../registry/types.ts';
import { entraIssuer } from './auth-policy.ts';

/** This module, as the headers of the files it renders name it. */
export const SOURCE = sourceOf(import.meta.url);

const id = (prefix: string, name: string): string => `${prefix}_${name.replace(/[^A-Za-z0-9]/g, '_')}`;

function diagram(registry: Registry): string[] {
  const gw = `${registry.gateway.name} :${registry.gateway.port}`;
  const lines = [
    '```mermaid',
    'flowchart LR',
    '  client(["client / browser"])',
    `  gateway{{"Gateway ${gw}"}}`,
    '  client --> gateway',
    `  route_ui["HTTPRoute ${FIXED.uiRoute}<br/>/ui → / and /auth"]`,
    `  svc_ui["Service ${FIXED.uiService} :${FIXED.uiPort}"]`,
    `  wl_ui["Deployment ${FIXED.ui}"]`,
    '  gateway --> route_ui --> svc_ui --> wl_ui',
    `  jwks["AgentgatewayBackend ${FIXED.jwksBackend}<br/>${FIXED.entraHost}:443 TLS"]`,
  ];
  const policy = id('pol', FIXED.policy);
  lines.push(`  ${policy}[/"AgentgatewayPolicy ${FIXED.policy}<br/>strict JWT on every MCP route"/]`, `  ${policy} -. JWKS .-> jwks`);
  registry.servers.forEach((server) => {
    const n = serverNames(server.name);
    lines.push(
      `  ${id('route', n.route)}["HTTPRoute ${n.route}<br/>${server.routePath}"]`,
      `  ${id('be', n.backend)}["AgentgatewayBackend ${n.backend}<br/>StreamableHTTP ${server.path}"]`,
      `  ${id('svc', n.service)}["Service ${n.service} :${server.port}"]`,
      `  ${id('wl', n.workload)}["${server.workload} ${n.workload} ×${server.replicas}"]`,
      `  gateway --> ${id('route', n.route)} --> ${id('be', n.backend)} --> ${id('svc', n.service)} --> ${id('wl', n.workload)}`,
      `  ${policy} -.-> ${id('route', n.route)}`,
    );
    const refresh = server.tokenRefresh;
    if (refresh) {
      lines.push(
        `  ${id('cj', n.tokenCronJob)}[["CronJob ${n.tokenCronJob}<br/>${refresh.schedule}"]]`,
        `  ${id('secret', refresh.secretName)}[("Secret ${refresh.secretName}")]`,
        `  ${id('cj', n.tokenCronJob)} -- writes --> ${id('secret', refresh.secretName)} -. mounted .-> ${id('wl', n.workload)}`,
      );
      if (refresh.restart) lines.push(`  ${id('cj', n.tokenCronJob)} -. restarts .-> ${id('wl', n.workload)}`);
    }
  });
  lines.push('```');
  return lines;
}

function serverTable(registry: Registry): string[] {
  const rows = registry.servers.map((s) => {
    const n = serverNames(s.name);
    return `| \`${s.name}\` | \`${s.routePath}\` | ${s.workload} ×${s.replicas} | \`${n.service}:${s.port}${s.path}\` | ${s.tokenRefresh ? `\`${n.tokenCronJob}\` (\`${s.tokenRefresh.schedule}\`)` : '—'} |`;
  });
  return ['| server | route | workload | upstream | token refresh |', '|---|---|---|---|---|', ...rows];
}

/** The whole document (without the generated-file header, which the emitter adds). */
export function renderArchitectureDoc(registry: Registry): string {
  const { auth } = registry;
  return [
    '# Architecture (generated)',
    '',
    `Drawn from \`servers.json\` by \`npm run generate\`. Namespace \`${registry.namespace}\`; control plane \`${registry.controlPlane.namespace}\` (agentgateway ${registry.controlPlane.agentgatewayVersion}, Gateway API ${registry.controlPlane.gatewayApiVersion}).`,
    '',
    ...diagram(registry),
    '',
    `Every MCP route requires a valid Entra ID access token (issuer \`${entraIssuer(auth)}\`, audiences ${auth.audiences.map((a) => `\`${a}\``).join(', ')}); \`/ui\` and \`/auth\` stay public so the UI can sign the user in.`,
    'The gateway terminates MCP: a route `/mcp/<name>` reaches the target `host:port` + `path` with no rewrite and no request timeout.',
    '',
    ...serverTable(registry),
    '',
  ].join('\n');
}
