/**
 * A server's tool lock in the cluster: the ConfigMap `<name>-tool-lock` (the lock as committed), mounted into the
 * server's pods for its start-up check (MCP_TOOL_LOCK_FILE), and the condition every tool rule of its backend
 * carries, so the gateway serves only locked tool names. The gateway can pin names only: a description or schema
 * changed under a locked name is caught by `npm run tools:check` in CI and by the server's start-up check.
 */
import { sourceOf } from './placed.ts';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';
import { formatLock, type ToolLock } from '@mcp-gateway/tool-lock';
import { serverNames } from '../names.ts';
import type { Server } from '../registry/types.ts';
import { metadata, type Identity, type KubeObject } from './meta.ts';

/** This module, as the headers of the files it renders name it. */
export const SOURCE = sourceOf(import.meta.url);

/** Where the server's pods find their lock (docs/contracts.md, "Every MCP server"). */
export const TOOL_LOCK_PATHS = { volume: 'tool-lock', dir: '/etc/mcp-tool-lock', key: 'tools.json' } as const;
export const TOOL_LOCK_FILE = `${TOOL_LOCK_PATHS.dir}/${TOOL_LOCK_PATHS.key}`;

/** The pod-template annotation with the lock's digest: a lock change rolls the pods, so each checks the lock it runs with. */
export const TOOL_LOCK_ANNOTATION = 'mcp-gateway/tool-lock-digest';

const toolLockId = (server: Server): Identity => ({ name: server.name, component: 'tool-lock' });

/** ConfigMap `<name>-tool-lock`, key `tools.json`: the lock file's text. */
export function renderToolLockConfigMap(server: Server, namespace: string): KubeObject {
  const configMap: IConfigMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: metadata(serverNames(server.name).toolLock, namespace, toolLockId(server)),
    data: { [TOOL_LOCK_PATHS.key]: formatLock(server.toolLock) },
  };
  return configMap as KubeObject;
}

export const toolLockVolume = (server: Server): IVolume => ({ name: TOOL_LOCK_PATHS.volume, configMap: { name: serverNames(server.name).toolLock, defaultMode: 0o444 } });
export const TOOL_LOCK_MOUNT: IVolumeMount = { name: TOOL_LOCK_PATHS.volume, mountPath: TOOL_LOCK_PATHS.dir, readOnly: true };

/**
 * What every tool rule of the backend also requires: the tool is in the lock. Guarded by `!has(mcp.tool)` so the
 * server's prompts and resources stay governed by the access grants alone.
 */
export function lockedToolCondition(lock: ToolLock): string {
  return `!has(mcp.tool) || mcp.tool.name in ${JSON.stringify(lock.tools.map((tool) => tool.name)).replaceAll(',', ', ')}`;
}
