import { readFile, stat } from 'node:fs/promises';

/** One MCP server the page may use, as the generator renders it into the ConfigMap mcp-ui-catalog. */
export interface CatalogEntry {
  name: string;
  description: string;
  /** Route path on the gateway, e.g. /mcp/mcp-example. */
  path: string;
  /** The version the registry deploys (its image tag), when the catalog names one. */
  version?: string;
  /** What opens the server, in words (`the app role HubSpot.Read or the app role HubSpot.Write`), when known. */
  access?: string;
}

export interface Catalog {
  servers: CatalogEntry[];
}

const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const PATH = /^\/[A-Za-z0-9._~\/-]*$/;

/** Validates the catalog file's JSON; throws an Error naming the first problem. */
export function parseCatalog(text: string, source = 'catalog'): Catalog {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source}: not JSON (${(error as Error).message})`);
  }
  const servers = (data as { servers?: unknown })?.servers;
  if (!Array.isArray(servers)) throw new Error(`${source}: "servers" must be an array`);
  const seen = new Set<string>();
  const entries = servers.map((raw: unknown, index): CatalogEntry => {
    const entry = raw as Partial<CatalogEntry>;
    const where = `${source}: servers[${index}]`;
    if (typeof entry !== 'object' || entry === null) throw new Error(`${where} must be an object`);
    if (typeof entry.name !== 'string' || !NAME.test(entry.name)) throw new Error(`${where}.name must be a DNS label, got ${JSON.stringify(entry.name)}`);
    if (seen.has(entry.name)) throw new Error(`${where}.name ${entry.name} appears twice`);
    seen.add(entry.name);
    if (typeof entry.path !== 'string' || !PATH.test(entry.path) || entry.path.includes('..')) {
      throw new Error(`${where}.path must be an absolute path, got ${JSON.stringify(entry.path)}`);
    }
    const description = entry.description ?? '';
    if (typeof description !== 'string') throw new Error(`${where}.description must be a string`);
    if (entry.version !== undefined && (typeof entry.version !== 'string' || entry.version.length > 128)) throw new Error(`${where}.version must be a string`);
    if (entry.access !== undefined && typeof entry.access !== 'string') throw new Error(`${where}.access must be a string`);
    return { name: entry.name, description, path: entry.path, ...(entry.version ? { version: entry.version } : {}), ...(entry.access ? { access: entry.access } : {}) };
  });
  return { servers: entries };
}

/**
 * Reads CATALOG_FILE, re-reading it when it changes (the kubelet updates a mounted ConfigMap in place).
 * A broken file keeps failing with the parse error until it is fixed; nothing is guessed.
 */
export function createCatalogSource(file: string): () => Promise<Catalog> {
  let cached: { key: string; catalog: Catalog } | undefined;
  return async () => {
    const info = await stat(file);
    const key = `${info.mtimeMs}:${info.size}:${info.ino}`;
    if (cached?.key === key) return cached.catalog;
    const catalog = parseCatalog(await readFile(file, 'utf8'), file);
    cached = { key, catalog };
    return catalog;
  };
}

/** The gateway URL for a catalog entry: GATEWAY_URL's origin (and base path, if any) + the entry's path. */
export function gatewayUrlFor(gateway: URL, entry: CatalogEntry): URL {
  const base = gateway.href.endsWith('/') ? gateway.href.slice(0, -1) : gateway.href;
  return new URL(base + entry.path);
}
