/** What every tool gets: the database door, the query guard, the settings and the logger. */
import type { MssqlConfig } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { QueryGuard } from '../guard/index.ts';
import type { Logger } from '@mcp-gateway/telemetry';

export interface ToolContext {
  db: Database;
  guard: QueryGuard;
  config: MssqlConfig;
  log: Logger;
}

/** Every tool here only reads: these hints say so to clients. */
export const READ_ONLY_ANNOTATIONS = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
} as const;

