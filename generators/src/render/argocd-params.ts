/**
 * What the ApplicationSet `mcp-servers` reads about each server (`base/servers/<name>/argocd-params.yaml`, through
 * its git files generator): the server's name and the differences its Application must ignore. Registry knowledge
 * stays here, out of the hand-written `argocd/`.
 */
import { RESTARTED_AT_POINTER, serverNames } from '../names.ts';
import type { Server } from '../registry/types.ts';
import { sourceOf } from './placed.ts';

/** This module, as the headers of the files it renders name it. */
export const SOURCE = sourceOf(import.meta.url);

/** One entry of an Application's `spec.ignoreDifferences`. */
export interface IgnoreDifference {
  group: string;
  kind: string;
  name: string;
  jsonPointers: string[];
}

/** The parameters of one server, under one key so they never collide with another generator's. */
export interface ServerApplicationParams {
  mcpServer: { name: string; ignoreDifferences: IgnoreDifference[] };
}

/**
 * A refresher with `restart: true` stamps the restart annotation on the workload; self-heal must not undo it
 * (that would roll the pods a second time), so the Application ignores exactly that field of exactly that workload.
 */
export function renderServerApplicationParams(server: Server): ServerApplicationParams {
  const restarts = server.tokenRefresh?.restart === true;
  return {
    mcpServer: {
      name: server.name,
      ignoreDifferences: restarts ? [{ group: 'apps', kind: server.workload, name: serverNames(server.name).workload, jsonPointers: [RESTARTED_AT_POINTER] }] : [],
    },
  };
}
