/** createApp: mcp-hubspot's definition for the runtime (tests and the dev stack start it in-process). */
import type { McpAppDefinition } from '@mcp-gateway/mcp-runtime';
import { createLogger, SecretValues, type Logger } from '@mcp-gateway/telemetry';
import type { HubSpotConfig } from './config.ts';
import { createAssociationTypeResolver } from './hubspot/association-types.ts';
import { createHubSpotClient } from './hubspot/client.ts';
import { createCredentialHealth, registerCredentialMetrics } from './hubspot/credential-health.ts';
import { createPaths } from './hubspot/paths.ts';
import { createTokenSource } from './hubspot/token-source.ts';
import { registerAssociationReadTools, registerAssociationWriteTools } from './tools/associations.ts';
import { registerMetadataTools } from './tools/metadata.ts';
import { registerNoteWriteTools } from './tools/notes.ts';
import { registerObjectReadTools, registerObjectWriteTools } from './tools/objects.ts';
import type { ToolContext } from './tools/shared.ts';

export type { HubSpotConfig } from './config.ts';
export { loadConfig } from './config.ts';

export const APP_NAME = 'mcp-hubspot';
export const APP_VERSION = '0.1.0';

/** What tests may replace. */
export interface AppDependencies {
  /** Waits between retries (default: a timer). */
  sleep?: (ms: number) => Promise<void>;
  /** The app's log (default: JSON lines on stdout, level info, scrubbing `secrets`). */
  log?: Logger;
  /** Every token read is registered here, so no log line built with these secrets can carry one. */
  secrets?: SecretValues;
  /** The clock for note timestamps. */
  now?: () => Date;
}

const INSTRUCTIONS =
  'HubSpot CRM tools. Find records with search_crm_objects, read them with get_crm_objects, follow links with ' +
  'list_associations. Use list_properties, list_owners and list_pipelines to learn property names, owner ids and ' +
  'stage ids before creating or updating records. Page with the "after" cursor.';

/** Builds the app definition from its settings. */
export function createApp(config: HubSpotConfig, deps: AppDependencies = {}): McpAppDefinition {
  const secrets = deps.secrets ?? new SecretValues();
  const log = deps.log ?? createLogger({ service: APP_NAME, secrets });
  const tokens = createTokenSource({ file: config.accessTokenFile, fallback: config.accessToken, secrets });
  const credential = createCredentialHealth();
  const hubspot = createHubSpotClient({
    baseUrl: config.baseUrl,
    tokens,
    retry: config.retry,
    requestTimeoutMs: config.requestTimeoutMs,
    log,
    credential,
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
  });
  const paths = createPaths(config.apiVersion);
  const ctx: ToolContext = { hubspot, paths, associationTypes: createAssociationTypeResolver(hubspot, paths), log };

  return {
    name: APP_NAME,
    version: APP_VERSION,
    instructions: config.readOnly ? `${INSTRUCTIONS} This server is read-only.` : INSTRUCTIONS,
    register(server) {
      registerObjectReadTools(server, ctx);
      registerAssociationReadTools(server, ctx);
      registerMetadataTools(server, ctx);
      if (config.readOnly) return;
      registerObjectWriteTools(server, ctx);
      registerAssociationWriteTools(server, ctx);
      registerNoteWriteTools(server, ctx, deps.now);
    },
    metrics(registry) {
      registerCredentialMetrics(registry, { tokens, file: config.accessTokenFile, health: credential });
    },
    // Ready when a token is at hand; HubSpot itself is not called on every probe.
    async ready() {
      return (await tokens.current()) !== undefined;
    },
  };
}
