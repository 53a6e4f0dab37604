/**
 * Shared set-up of the end-to-end tests: the dev stack on environment dev as Argo CD renders it (every Application
 * of the environment, each built with kustomize), and MCP clients through it.
 */
import http from 'node:http';
import path from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { environmentObjects } from '../../scripts/applications/environments.ts';
import type { KubeObject } from '../gateway/manifests.ts';
import { startStack, type Stack } from '../stack.ts';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export type Era = '2025-11-25' | '2026-07-28';

/** The dev stack on `environment` of the tree at `root` (a copy of the repository in some tests). */
export async function startDevStack(environment = 'dev', root = repoRoot): Promise<{ stack: Stack; objects: KubeObject[] }> {
  const objects = (await environmentObjects(root, environment)) as KubeObject[];
  return { stack: await startStack({ objects, repoRoot }), objects };
}

/** A real token from the Entra stand-in: the client credentials grant of the dev-only CLI client. */
export async function cliToken(stack: Stack): Promise<string> {
  const response = await fetch(stack.entra.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'dev-cli',
      client_secret: stack.secrets.get('dev-cli')!['client-secret']!,
      scope: stack.entra.apiScope,
    }),
  });
  const body = (await response.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`no token from the Entra stand-in: ${JSON.stringify(body)}`);
  return body.access_token;
}

/** The official MCP client, connected through the gateway with a bearer token, in the given protocol era. */
export async function connectThroughGateway(stack: Stack, route: string, token: string, era: Era = '2025-11-25'): Promise<Client> {
  const client = new Client(
    { name: 'e2e', version: '0.0.0' },
    era === '2026-07-28' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {},
  );
  const transport = new StreamableHTTPClientTransport(new URL(route, stack.gateway.url), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  await client.connect(transport);
  return client;
}

/** tools/list straight to a process, bypassing the gateway, with the Host header the gateway would send. */
export function listToolsDirect(port: number, host: string): Promise<string[]> {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/mcp',
        method: 'POST',
        headers: {
          host,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-protocol-version': '2025-11-25',
        },
      },
      (response) => {
        let text = '';
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => {
          const json = text.startsWith('{') ? text : text.split('\n').find((l) => l.startsWith('data:'))?.slice(5) ?? '';
          try {
            resolve((JSON.parse(json).result.tools as { name: string }[]).map((t) => t.name).sort());
          } catch {
            reject(new Error(`tools/list on port ${port} answered ${response.statusCode}: ${text.slice(0, 300)}`));
          }
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
