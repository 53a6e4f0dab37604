/** The UI's server catalog: ConfigMap `mcp-ui-catalog`, key `catalog.json` (format in docs/contracts.md). */
import { sourceOf } from './placed.ts';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { FIXED } from '../names.ts';
import type { Registry } from '../registry/types.ts';
import { describeGrant, either } from './access-rules.ts';
import { imageVersion, metadata, type Identity, type KubeObject } from './meta.ts';

/** This module, as the headers of the files it renders name it. */
export const SOURCE = sourceOf(import.meta.url);

/** Where the UI finds its files (docs/contracts.md, "mcp-ui"). */
export const UI_PATHS = {
  secretDir: '/var/run/secrets/mcp-ui',
  catalogDir: '/etc/mcp-ui',
  catalogKey: 'catalog.json',
  sessionStorePasswordDir: '/var/run/secrets/mcp-ui-session-store',
  sessionStoreCaDir: '/var/run/secrets/mcp-ui-session-store-ca',
} as const;

/** Labels identity of the UI's objects. */
export const uiId = (registry: Registry): Identity => ({ name: FIXED.ui, component: 'ui', image: registry.ui.image });

/**
 * One server as the UI lists it. `version` is the tag of the image the registry deploys (absent for a digest);
 * `access` says in words what opens the server (the page tells someone the gateway refuses).
 */
export interface CatalogServer {
  name: string;
  description: string;
  path: string;
  version?: string;
  access: string;
}

/** The catalog the UI lists: every server's name, description, public path, deployed version and access, sorted by name. */
export function catalog(registry: Registry): { servers: CatalogServer[] } {
  return {
    servers: registry.servers.map((s) => {
      const version = imageVersion(s.image);
      const access = either([...new Set(s.access.map(describeGrant))]);
      return { name: s.name, description: s.description, path: s.routePath, ...(version ? { version } : {}), access };
    }),
  };
}

export function renderCatalogConfigMap(registry: Registry): KubeObject {
  const configMap: IConfigMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: metadata(FIXED.uiCatalog, registry.namespace, uiId(registry)),
    data: { [UI_PATHS.catalogKey]: `${JSON.stringify(catalog(registry), null, 2)}\n` },
  };
  return configMap as KubeObject;
}

