/**
 * The MCP clients people connect with, in one place: the redirect URIs each uses (registered on the public
 * Entra app registration for MCP clients, and on the Entra stand-in's copy of it) and the configuration that
 * points each at a gateway route. `npm run dev` prints these for its own URLs; docs/connect-mcp-clients.md and
 * docs/operations.md say the same, and a test checks that they list every redirect URI here.
 *
 * Loopback redirect URIs are registered without a port: on the "Mobile and desktop applications" platform Entra
 * ignores the port of `http://localhost` and `http://127.0.0.1` (RFC 8252 §7.3), and so does the stand-in.
 */

export interface McpClientProfile {
  name: string;
  /** What the client sends as `redirect_uri` (the port of a loopback URI left out). */
  redirectUris: string[];
  /** Copy-paste configuration for one route. */
  configure(route: { name: string; url: string }, clientId: string): string;
}

export const MCP_CLIENTS: readonly McpClientProfile[] = [
  {
    name: 'VS Code',
    redirectUris: ['http://127.0.0.1/', 'https://vscode.dev/redirect'],
    configure: ({ name, url }) => `.vscode/mcp.json:\n${json({ servers: { [name]: { type: 'http', url } } })}`,
  },
  {
    name: 'Claude Code',
    redirectUris: ['http://localhost/callback'],
    configure: ({ name, url }, clientId) => `claude mcp add --transport http --client-id ${clientId} ${name} ${url}`,
  },
  {
    name: 'GitHub Copilot CLI',
    redirectUris: ['http://127.0.0.1/'],
    configure: ({ name, url }) => `~/.copilot/mcp-config.json:\n${json({ mcpServers: { [name]: { type: 'http', url, tools: ['*'] } } })}`,
  },
  {
    name: 'Cursor',
    redirectUris: ['cursor://anysphere.cursor-mcp/oauth/callback'],
    configure: ({ name, url }, clientId) => `~/.cursor/mcp.json:\n${json({ mcpServers: { [name]: { url, auth: { CLIENT_ID: clientId } } } })}`,
  },
  {
    name: 'MCP Inspector',
    redirectUris: ['http://127.0.0.1/oauth/callback', 'http://localhost/oauth/callback'],
    configure: ({ url }, clientId) =>
      `npx @modelcontextprotocol/inspector --cli ${url} --transport http --client-id ${clientId} \\\n    --callback-url http://127.0.0.1:6276/oauth/callback --method tools/list`,
  },
];

/** Every redirect URI of every client, once. */
export const MCP_CLIENT_REDIRECT_URIS: readonly string[] = [...new Set(MCP_CLIENTS.flatMap((c) => c.redirectUris))];

function json(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/^/gm, '  ');
}
