/** The UI's server catalog: ConfigMap `mcp-ui-catalog`, key `catalog.json` (format in docs/contracts.md). */
import { sourceOf } from './placed.ts';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { FIXED } from '../names.ts';
import type { Registry } from '../registry/types.ts';
import { describeGrant, either } from './access-rules.ts';
import { metadata, type Identity, type KubeObject } from './meta.ts';

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
 * The catalog the UI lists: every server's name, description, public path and, in words, what opens it (the page
 * says so to someone the gateway refuses), sorted by name.
 */
export function catalog(registry: Registry): { servers: { name: string; description: string; path: string; access: string }[] } {
  return {
    servers: registry.servers.map((s) => ({ name: s.name, description: s.description, path: s.routePath, access: either([...new Set(s.access.map(describeGrant))]) })),
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

