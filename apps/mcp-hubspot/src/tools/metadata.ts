/**
 * What a CRM user needs to phrase the other calls: the properties of an object type, the owners,
 * and the pipelines with their stages. HubSpot endpoints: GET {properties}/{type}, GET {owners},
 * GET {pipelines}/{type}.
 */
import type { McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { READ_ONLY, nextAfter, ok, recordTypeSchema, runTool, type ToolContext } from './shared.ts';

export const PROPERTIES_MAX_LIMIT = 500;
export const OWNERS_MAX_LIMIT = 100;

const propertiesInput = z.object({
  objectType: recordTypeSchema,
  search: z.string().max(100).optional().describe('keep properties whose name, label or group contains this text (case-insensitive)'),
  includeHidden: z.boolean().default(false),
  limit: z.number().int().min(1).max(PROPERTIES_MAX_LIMIT).default(200),
});

const ownersInput = z.object({
  email: z.email().optional().describe('only the owner with this email'),
  limit: z.number().int().min(1).max(OWNERS_MAX_LIMIT).default(100),
  after: z.string().max(100).optional().describe('the cursor "after" of the previous page'),
});

const pipelinesInput = z.object({
  objectType: z.enum(['deals', 'tickets']).describe('deals or tickets'),
});

interface PropertiesResponse {
  results?: Array<{
    name: string;
    label?: string;
    type?: string;
    fieldType?: string;
    groupName?: string;
    description?: string;
    hidden?: boolean;
    options?: Array<{ label?: string; value?: string; hidden?: boolean }>;
    modificationMetadata?: { readOnlyValue?: boolean };
  }>;
}

interface OwnersResponse {
  results?: Array<{ id: string; email?: string; firstName?: string; lastName?: string; userId?: number; archived?: boolean; teams?: Array<{ id?: string; name?: string; primary?: boolean }> }>;
  paging?: { next?: { after?: string } };
}

interface PipelinesResponse {
  results?: Array<{
    id: string;
    label?: string;
    displayOrder?: number;
    archived?: boolean;
    stages?: Array<{ id: string; label?: string; displayOrder?: number; archived?: boolean; metadata?: Record<string, unknown> }>;
  }>;
}

/** Registers list_properties, list_owners, list_pipelines. */
export function registerMetadataTools(server: McpServer, ctx: ToolContext): void {
  server.registerTool(
    'list_properties',
    {
      title: 'List the properties of an object type',
      description:
        'List the properties (internal name, label, type, options of enumerations) of contacts, companies, deals or tickets, ' +
        'to know which names to use in searches, creates and updates.',
      inputSchema: propertiesInput,
      annotations: READ_ONLY,
    },
    (input) =>
      runTool(ctx, 'list_properties', async () => {
        const body = await ctx.hubspot.request<PropertiesResponse>({
          method: 'GET',
          path: ctx.paths.properties(input.objectType),
          query: { archived: false },
        });
        const needle = input.search?.toLowerCase();
        const matching = (body?.results ?? [])
          .filter((p) => input.includeHidden || !p.hidden)
          .filter((p) => !needle || [p.name, p.label, p.groupName].some((v) => v?.toLowerCase().includes(needle)));
        const results = matching.slice(0, input.limit).map((p) => ({
          name: p.name,
          label: p.label,
          type: p.type,
          fieldType: p.fieldType,
          group: p.groupName,
          ...(p.description ? { description: p.description.length > 200 ? `${p.description.slice(0, 200)}…` : p.description } : {}),
          ...(p.modificationMetadata?.readOnlyValue ? { readOnly: true } : {}),
          ...(p.options?.length ? { options: p.options.filter((o) => !o.hidden).map((o) => ({ value: o.value, label: o.label })) } : {}),
        }));
        return ok({ total: matching.length, results, ...(matching.length > results.length ? { truncated: true } : {}) });
      }),
  );

  server.registerTool(
    'list_owners',
    {
      title: 'List owners',
      description: 'List the owners (users and queues records can be assigned to), with their ids to use as hubspot_owner_id.',
      inputSchema: ownersInput,
      annotations: READ_ONLY,
    },
    (input) =>
      runTool(ctx, 'list_owners', async () => {
        const body = await ctx.hubspot.request<OwnersResponse>({
          method: 'GET',
          path: ctx.paths.owners(),
          query: { email: input.email, limit: input.limit, after: input.after },
        });
        const after = nextAfter(body);
        return ok({
          results: (body?.results ?? []).map((o) => ({
            id: String(o.id),
            email: o.email,
            firstName: o.firstName,
            lastName: o.lastName,
            ...(o.teams?.length ? { teams: o.teams.map((t) => t.name) } : {}),
          })),
          ...(after ? { after } : {}),
        });
      }),
  );

  server.registerTool(
    'list_pipelines',
    {
      title: 'List pipelines and stages',
      description: 'List the deal or ticket pipelines with their stages (ids to use as pipeline and dealstage / hs_pipeline_stage).',
      inputSchema: pipelinesInput,
      annotations: READ_ONLY,
    },
    (input) =>
      runTool(ctx, 'list_pipelines', async () => {
        const body = await ctx.hubspot.request<PipelinesResponse>({ method: 'GET', path: ctx.paths.pipelines(input.objectType) });
        const results = (body?.results ?? [])
          .filter((p) => !p.archived)
          .sort((a, b) => (a.displayOrder ?? 0) - (b.displayOrder ?? 0))
          .map((p) => ({
            id: p.id,
            label: p.label,
            stages: (p.stages ?? [])
              .filter((s) => !s.archived)
              .sort((a, b) => (a.displayOrder ?? 0) - (b.displayOrder ?? 0))
              .map((s) => ({ id: s.id, label: s.label, ...(s.metadata && Object.keys(s.metadata).length ? { metadata: s.metadata } : {}) })),
          }));
        return ok({ results });
      }),
  );
}
