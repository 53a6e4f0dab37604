/**
 * What every tool module shares: the context they run in, input schemas reused across tools,
 * annotations, and the wrapper that turns results and errors into MCP tool results.
 */
import type { CallToolResult } from '@modelcontextprotocol/server';
import * as z from 'zod';
import type { AssociationTypeResolver } from '../hubspot/association-types.ts';
import type { Logger } from '@mcp-gateway/telemetry';
import type { HubSpotClient } from '../hubspot/client.ts';
import { HubSpotError } from '../hubspot/errors.ts';
import type { HubSpotPaths } from '../hubspot/paths.ts';

/** What a tool handler may use. */
export interface ToolContext {
  hubspot: HubSpotClient;
  paths: HubSpotPaths;
  associationTypes: AssociationTypeResolver;
  log: Logger;
}

/** The CRM record types the tools accept. */
export const RECORD_TYPES = ['contacts', 'companies', 'deals', 'tickets'] as const;
export const recordTypeSchema = z.enum(RECORD_TYPES).describe('CRM object type: contacts, companies, deals or tickets');

/** Record types plus notes, where a note can be one side (associations). */
export const associableTypeSchema = z
  .enum([...RECORD_TYPES, 'notes'])
  .describe('CRM object type: contacts, companies, deals, tickets or notes');

/** A HubSpot internal property name such as `email` or `dealstage`. */
export const propertyNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9_]{1,100}$/, 'a property internal name: letters, digits and underscores, at most 100 characters');

/** A numeric HubSpot record id. */
export const recordIdSchema = z.string().regex(/^\d{1,20}$/, 'a HubSpot record id: digits only');

/** A property value as HubSpot accepts it. */
export const propertyValueSchema = z.union([z.string().max(65_536), z.number(), z.boolean()]);

/** Annotations of tools that only read. */
export const READ_ONLY = { readOnlyHint: true, openWorldHint: true } as const;

/** A record as the tools return it: its id and only the requested properties. */
export interface CompactRecord {
  id: string;
  properties: Record<string, string | null>;
}

interface HubSpotRecord {
  id: string;
  properties?: Record<string, string | null>;
}

/** Keeps the id and the requested properties (all returned ones when none were requested). */
export function compactRecord(record: HubSpotRecord, requested?: readonly string[]): CompactRecord {
  const all = record.properties ?? {};
  if (!requested || requested.length === 0) return { id: String(record.id), properties: all };
  const properties: Record<string, string | null> = {};
  for (const name of requested) properties[name] = all[name] ?? null;
  return { id: String(record.id), properties };
}

/** The `after` cursor of a HubSpot page, when there is a next page. */
export function nextAfter(body: { paging?: { next?: { after?: string } } } | undefined): string | undefined {
  return body?.paging?.next?.after;
}

/** A successful tool result: compact JSON text plus the same object as structured content. */
export function ok(data: object): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(data) }], structuredContent: data as Record<string, unknown> };
}

/** A tool error the caller can read and act on. */
export function toolError(message: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: message }] };
}

/** Runs a handler; HubSpot errors become tool errors with their message, anything else a generic one. */
export async function runTool(ctx: ToolContext, tool: string, handler: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await handler();
  } catch (error) {
    if (error instanceof HubSpotError) {
      ctx.log[error.kind === 'unauthorized' || error.kind === 'no_token' ? 'error' : 'warn'](
        { tool, kind: error.kind, status: error.status, correlationId: error.correlationId },
        'tool call failed',
      );
      return toolError(error.message);
    }
    ctx.log.error({ tool, error: error instanceof Error ? error.message : String(error) }, 'tool call failed unexpectedly');
    return toolError(`${tool} failed unexpectedly; see the server log.`);
  }
}
