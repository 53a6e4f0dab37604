/**
 * A server's tools as the official MCP SDK v2 client lists them (every page), asked in both protocol eras: the
 * 2025 handshake (`initialize`, which this SDK negotiates at 2025-11-25) and 2026-07-28 (`server/discover`,
 * pinned). The two must list the same tools; where they do not, the error says which tools and fields differ.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { compareSurfaces, describeDifference, differenceCount, lockTools } from '@mcp-gateway/tool-lock';
import { fetchWithHost } from './host-fetch.ts';

/** A URL as output and locks show it: no credentials, query or fragment. */
export function shownUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/** The modern revision, asked by pinning it. */
export const MODERN_PROTOCOL = '2026-07-28';

type ListedTool = { name: string } & Record<string, unknown>;

/** One era's listing: the protocol version the client negotiated, and the tools. */
export interface EraListing {
  protocolVersion: string;
  tools: ListedTool[];
}

/** How to reach the server: headers for every request, and a `Host` to send instead of the URL's. */
export interface Reach {
  headers?: Record<string, string>;
  host?: string;
}

async function listIn(url: URL, era: 'legacy' | 'modern', reach: Reach): Promise<EraListing> {
  const mode = era === 'modern' ? { pin: MODERN_PROTOCOL } : ('legacy' as const);
  const client = new Client({ name: 'mcp-gateway-tools-lock', version: '1.0.0' }, { versionNegotiation: { mode } });
  const transport = new StreamableHTTPClientTransport(url, { requestInit: { headers: reach.headers ?? {} }, ...(reach.host !== undefined && { fetch: fetchWithHost(reach.host) }) });
  await client.connect(transport);
  try {
    const tools: ListedTool[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor === undefined ? {} : { cursor });
      tools.push(...(page.tools as ListedTool[]));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return { protocolVersion: client.getNegotiatedProtocolVersion() ?? (era === 'modern' ? MODERN_PROTOCOL : 'unknown'), tools };
  } finally {
    await client.close();
  }
}

/** Thrown when the two eras list different tools; `differences` name them (the 2026-07-28 listing against the 2025 one). */
export class EraMismatchError extends Error {
  override name = 'EraMismatchError';
  readonly versions: [string, string];
  readonly differences: string[];
  constructor(versions: [string, string], differences: string[]) {
    super(`the server lists different tools in ${versions[0]} and ${versions[1]}:\n${differences.map((line) => `  ${line}`).join('\n')}`);
    this.versions = versions;
    this.differences = differences;
  }
}

/** Which eras must answer: both (a server of this repository), or those that do (a server elsewhere may speak only 2025). */
export type EraPolicy = 'both' | 'answering';

export interface Listing {
  tools: ListedTool[];
  protocolVersions: string[];
  /** Eras that did not answer (only with `answering`), with why. */
  skipped: string[];
}

/** Lists `url`'s tools in both eras and checks they agree. */
export async function listToolsInBothEras(url: URL, options: Reach & { eras?: EraPolicy } = {}): Promise<Listing> {
  const listings: EraListing[] = [];
  const skipped: string[] = [];
  for (const era of ['legacy', 'modern'] as const) {
    try {
      listings.push(await listIn(url, era, options));
    } catch (error) {
      // The SDK's messages may quote the URL: never with its query.
      const message = (error instanceof Error ? error.message : String(error)).replaceAll(url.href, shownUrl(url));
      const why = `${era === 'modern' ? MODERN_PROTOCOL : 'the 2025 handshake'}: ${message}`;
      if (options.eras !== 'answering') throw new Error(`listing the tools at ${shownUrl(url)} failed in ${why}`);
      skipped.push(why);
    }
  }
  if (listings.length === 0) throw new Error(`the server at ${shownUrl(url)} answered in neither era:\n  ${skipped.join('\n  ')}`);
  const [first, second] = listings;
  if (second) {
    const difference = compareSurfaces(lockTools(first!.tools), lockTools(second.tools));
    if (differenceCount(difference) > 0) throw new EraMismatchError([first!.protocolVersion, second.protocolVersion], describeDifference(difference, `the ${second.protocolVersion} listing`));
  }
  return { tools: first!.tools, protocolVersions: listings.map((l) => l.protocolVersion), skipped };
}
