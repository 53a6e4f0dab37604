/**
 * One list of MCP clients (dev/mcp-clients.ts) feeds the Entra stand-in's public client, `npm run dev`'s
 * printout and the docs: every redirect URI is in both documents, and the printout configures every client
 * for the stack's own URLs and public client id.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeStack } from '../describe.ts';
import { MCP_CLIENT_REDIRECT_URIS, MCP_CLIENTS } from '../mcp-clients.ts';
import { STAND_IN_USERS } from '../entra-users.ts';
import type { Stack } from '../stack.ts';
import { repoRoot } from './support.ts';

const doc = (name: string) => readFile(path.join(repoRoot, 'docs', name), 'utf8');

describe('the MCP clients list', () => {
  it('is what the operator registers and what people read', async () => {
    const [operations, connect] = await Promise.all([doc('operations.md'), doc('connect-mcp-clients.md')]);
    for (const uri of MCP_CLIENT_REDIRECT_URIS) {
      expect(operations, `operations.md lists ${uri}`).toContain(`\`${uri}\``);
      expect(connect, `connect-mcp-clients.md lists ${uri}`).toContain(`\`${uri}\``);
    }
    for (const client of MCP_CLIENTS) expect(connect).toContain(`**${client.name}**`);
  });

  it("is printed by npm run dev for the stack's URLs and public client id", () => {
    const stack = {
      gateway: { url: new URL('http://127.0.0.1:8080') },
      processes: new Map([['mcp-example', {}], ['mcp-ui', {}]]),
      entra: { url: new URL('http://127.0.0.1:4000'), issuer: 'https://login.microsoftonline.com/t/v2.0', users: STAND_IN_USERS },
      hubspot: { url: new URL('http://127.0.0.1:4001') },
      mcpClientId: 'public-client-id',
    } as unknown as Stack;
    const printed = describeStack(stack, 'dev', ['mcp-dev', 'mcp-dev-mcp-example']);
    for (const client of MCP_CLIENTS) expect(printed).toContain(client.configure({ name: 'mcp-example', url: 'http://127.0.0.1:8080/mcp/mcp-example' }, 'public-client-id').split('\n')[0]);
    expect(printed).toContain('--client-id public-client-id');
    expect(printed).toContain('agentgateway#3080');
    expect(printed).not.toContain('/mcp/mcp-ui');
  });
});
