/** What every tool gets: the database door, the settings and the logger. */
import type { MssqlConfig } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { AppLogger } from '../log.ts';

export interface ToolContext {
  db: Database;
  config: MssqlConfig;
  log: AppLogger;
}

/** Every tool here only reads: these hints say so to clients. */
export const READ_ONLY_ANNOTATIONS = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
} as const;

