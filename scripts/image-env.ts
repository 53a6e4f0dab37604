/**
 * What the rendered manifests give each image's container: its plain environment variables (NODE_OPTIONS, sized
 * from the memory limit, among them) and its memory limit, keyed by the folder of apps/ the image is built from
 * (`…/<app>:<tag>`). The image test and `npm run bench:mcp` run each program with exactly this.
 */
import { resolve } from 'node:path';
import { loadRegistrySync, renderObjects } from '../generators/src/index.ts';

/** One rendered container, as far as running its image needs. */
export interface RenderedContainer {
  /** Variables with a literal value (downward-API ones are left out). */
  env: Record<string, string>;
  memoryLimit: string;
}

interface PodSpec {
  containers: Array<{ image: string; env?: Array<{ name: string; value?: string }>; resources: { limits: { memory: string } } }>;
}

/** The folder of apps/ an image is built from: its last path segment (`…/<app>:<tag>`). */
export function imageApp(image: string): string | undefined {
  return /\/([a-z0-9-]+):[^/]+$/.exec(image)?.[1];
}

/** The containers servers.json (with the tool locks beside it) renders, by app. */
export function renderedContainers(registryFile = resolve(import.meta.dirname, '../servers.json')): Map<string, RenderedContainer> {
  const { registry, problems } = loadRegistrySync(registryFile);
  if (registry === undefined) throw new Error(`${registryFile}: ${problems.map((p) => p.message).join('; ')}`);
  const found = new Map<string, RenderedContainer>();
  for (const object of renderObjects(registry)) {
    const spec = (object as { spec?: { template?: { spec?: PodSpec }; jobTemplate?: { spec?: { template?: { spec?: PodSpec } } } } }).spec;
    for (const container of spec?.template?.spec?.containers ?? spec?.jobTemplate?.spec?.template?.spec?.containers ?? []) {
      const app = imageApp(container.image);
      if (app === undefined) continue;
      const env = Object.fromEntries((container.env ?? []).flatMap((e) => (e.value === undefined ? [] : [[e.name, e.value] as const])));
      found.set(app, { env, memoryLimit: container.resources.limits.memory });
    }
  }
  return found;
}
