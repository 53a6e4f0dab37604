/** Shared test helpers: the official SDK v2 client in either protocol era. */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

/** The two protocol eras every client test runs in. */
export const ERAS = ['2025-11-25', '2026-07-28'] as const;
export type Era = (typeof ERAS)[number];

/** Connects the official client: 2025-11-25 through the initialize handshake, 2026-07-28 pinned (server/discover). */
export async function connectClient(url: URL, era: Era, name = 'mcp-example-test'): Promise<Client> {
  const client = new Client(
    { name, version: '1.0.0' },
    era === '2026-07-28' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : { versionNegotiation: { mode: 'legacy' } },
  );
  await client.connect(new StreamableHTTPClientTransport(url));
  return client;
}

/** Text of the first content block of a tool result. */
export function firstText(result: { content?: unknown }): string {
  const content = (result.content ?? []) as Array<{ type: string; text?: string }>;
  const block = content[0];
  if (block?.type !== 'text' || block.text === undefined) throw new Error(`expected a text block, got ${JSON.stringify(content)}`);
  return block.text;
}

/** Waits until `predicate` holds (polling), failing after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
