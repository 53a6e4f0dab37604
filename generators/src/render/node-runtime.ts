/**
 * What a Node program needs from its pod's memory limit, so that the limit in the registry is the only source:
 * the V8 heap flags (`NODE_OPTIONS`) and, for MCP servers, the default bound on request bytes in flight.
 *
 * The budget, from `npm run bench:mcp` (docs/benchmarks.md): a bundled server on Node 24 holds about 76 MB
 * outside a small heap (Node itself, the SDK, zod, code); V8 otherwise sizes its heap from the host's memory, not
 * the container's. The old generation gets 3/8 of the limit and each of the two young semi-spaces a 16th (at
 * most 16 MiB), so a 256Mi pod runs with --max-old-space-size=96 --max-semi-space-size=16 and peaks near 140 MB
 * under load.
 */

const UNITS: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };

/** Bytes of a Kubernetes memory quantity as the registry allows it (`256Mi`, `1G`, `1048576`). */
export function memoryBytes(quantity: string): number {
  const match = /^([0-9]+)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(quantity);
  if (!match) throw new Error(`"${quantity}" is not a memory quantity like 256Mi`);
  return Number(match[1]) * UNITS[match[2] ?? '']!;
}

/** V8 heap sizes in MiB for a memory limit. */
export function heapSizes(memoryLimit: string): { oldSpaceMiB: number; semiSpaceMiB: number } {
  const mib = memoryBytes(memoryLimit) / 2 ** 20;
  return { oldSpaceMiB: Math.max(16, Math.floor((mib * 3) / 8)), semiSpaceMiB: Math.min(16, Math.max(1, Math.floor(mib / 16))) };
}

/** `NODE_OPTIONS` for a container with this memory limit. */
export function nodeOptions(memoryLimit: string): string {
  const { oldSpaceMiB, semiSpaceMiB } = heapSizes(memoryLimit);
  return `--max-old-space-size=${oldSpaceMiB} --max-semi-space-size=${semiSpaceMiB}`;
}

/** The default bound on request-body bytes in flight: a 32nd of the memory limit. */
export function defaultInflightBytes(memoryLimit: string): number {
  return Math.floor(memoryBytes(memoryLimit) / 32);
}

/** The runtime's body limit when `env` does not set MCP_MAX_BODY_BYTES (packages/mcp-runtime). */
export const DEFAULT_MAX_BODY_BYTES = 1_048_576;

/** The largest request body a server accepts: MCP_MAX_BODY_BYTES from its env, else the runtime's default. */
export function serverBodyLimit(server: { env: Record<string, string> }): number {
  return /^\d+$/.test(server.env.MCP_MAX_BODY_BYTES ?? '') ? Number(server.env.MCP_MAX_BODY_BYTES) : DEFAULT_MAX_BODY_BYTES;
}
