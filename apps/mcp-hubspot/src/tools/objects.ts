/**
 * CRM records: search, read by id (batch read), create, update.
 * HubSpot endpoints: POST {objects}/{type}/search, POST {objects}/{type}/batch/read,
 * POST {objects}/{type}, PATCH {objects}/{type}/{id}.
 */
import type { McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';
import {
  READ_ONLY,
  compactRecord,
  nextAfter,
  ok,
  propertyNameSchema,
  propertyValueSchema,
  recordTypeSchema,
  runTool,
  type ToolContext,
} from './shared.ts';

/** HubSpot's documented bounds: search pages of at most 200, batch reads of at most 100 inputs. */
export const SEARCH_MAX_LIMIT = 200;
export const BATCH_READ_MAX = 100;
/** Search limits: at most 5 filter groups (OR), 10 filters per group (AND), 25 filters in all. */
const MAX_FILTER_GROUPS = 5;
const MAX_FILTERS_PER_GROUP = 10;
const MAX_FILTERS_TOTAL = 25;

const OPERATORS = [
  'EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'BETWEEN', 'IN', 'NOT_IN',
  'HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'CONTAINS_TOKEN', 'NOT_CONTAINS_TOKEN',
] as const;

const scalar = z.union([z.string().max(1000), z.number(), z.boolean()]);

const filterSchema = z
  .object({
    propertyName: propertyNameSchema,
    operator: z.enum(OPERATORS),
    value: scalar.optional().describe('for EQ, NEQ, LT, LTE, GT, GTE, CONTAINS_TOKEN, NOT_CONTAINS_TOKEN, and the low end of BETWEEN'),
    highValue: scalar.optional().describe('the high end of BETWEEN'),
    values: z.array(z.string().max(1000)).min(1).max(100).optional().describe('for IN and NOT_IN'),
  })
  .superRefine((filter, issues) => {
    const need = (field: 'value' | 'highValue' | 'values'): void => {
      if (filter[field] === undefined) issues.addIssue({ code: 'custom', message: `operator ${filter.operator} needs "${field}"`, path: [field] });
    };
    switch (filter.operator) {
      case 'HAS_PROPERTY':
      case 'NOT_HAS_PROPERTY':
        return;
      case 'BETWEEN':
        need('value');
        need('highValue');
        return;
      case 'IN':
      case 'NOT_IN':
        need('values');
        return;
      default:
        need('value');
    }
  });

const searchInput = z
  .object({
    objectType: recordTypeSchema,
    query: z.string().max(1000).optional().describe('free text searched in the default searchable properties'),
    filterGroups: z
      .array(z.object({ filters: z.array(filterSchema).min(1).max(MAX_FILTERS_PER_GROUP) }))
      .max(MAX_FILTER_GROUPS)
      .optional()
      .describe('groups are ORed, the filters inside a group are ANDed; at most 5 groups, 10 filters per group, 25 in all'),
    sorts: z
      .array(z.object({ propertyName: propertyNameSchema, direction: z.enum(['ASCENDING', 'DESCENDING']).default('ASCENDING') }))
      .max(1)
      .optional()
      .describe('HubSpot applies one sort rule per search'),
    properties: z.array(propertyNameSchema).max(100).optional().describe('properties to return; default: HubSpot\'s default set'),
    limit: z.number().int().min(1).max(SEARCH_MAX_LIMIT).default(10).describe(`page size, at most ${SEARCH_MAX_LIMIT}`),
    after: z.string().max(100).optional().describe('the cursor "after" of the previous page'),
  })
  .refine((input) => (input.filterGroups ?? []).reduce((n, g) => n + g.filters.length, 0) <= MAX_FILTERS_TOTAL, {
    message: `at most ${MAX_FILTERS_TOTAL} filters in all`,
    path: ['filterGroups'],
  });

const getInput = z.object({
  objectType: recordTypeSchema,
  ids: z.array(z.string().min(1).max(256)).min(1).max(BATCH_READ_MAX).describe(`record ids (or values of idProperty), at most ${BATCH_READ_MAX}`),
  properties: z.array(propertyNameSchema).max(100).optional(),
  idProperty: propertyNameSchema.optional().describe('a unique property to look the records up by, e.g. email for contacts; default: the record id'),
});

const propertiesMap = z
  .record(propertyNameSchema, propertyValueSchema)
  .refine((map) => Object.keys(map).length > 0, 'give at least one property')
  .refine((map) => Object.keys(map).length <= 200, 'at most 200 properties');

const createInput = z.object({
  objectType: recordTypeSchema,
  properties: propertiesMap.describe('property internal names and values, e.g. {"email": "a@b.com", "firstname": "Ada"}'),
});

const updateInput = z.object({
  objectType: recordTypeSchema,
  id: z.string().min(1).max(256).describe('the record id (or the value of idProperty)'),
  properties: propertiesMap.describe('the properties to set; others are left as they are; an empty string clears a value'),
  idProperty: propertyNameSchema.optional(),
});

interface SearchResponse {
  total?: number;
  results?: Array<{ id: string; properties?: Record<string, string | null> }>;
  paging?: { next?: { after?: string } };
}

interface BatchResponse {
  results?: Array<{ id: string; properties?: Record<string, string | null> }>;
  errors?: Array<{ category?: string; message?: string; context?: { ids?: string[] } }>;
}

interface RecordResponse {
  id: string;
  properties?: Record<string, string | null>;
}

/** Registers search_crm_objects and get_crm_objects. */
export function registerObjectReadTools(server: McpServer, ctx: ToolContext): void {
  server.registerTool(
    'search_crm_objects',
    {
      title: 'Search CRM records',
      description:
        'Search contacts, companies, deals or tickets with filters, a sort, free text and chosen properties. ' +
        'Returns ids and the requested properties, the total, and "after" to fetch the next page.',
      inputSchema: searchInput,
      annotations: READ_ONLY,
    },
    (input) =>
      runTool(ctx, 'search_crm_objects', async () => {
        const body = await ctx.hubspot.request<SearchResponse>({
          method: 'POST',
          path: ctx.paths.search(input.objectType),
          retrySafe: true,
          body: {
            ...(input.query ? { query: input.query } : {}),
            filterGroups: (input.filterGroups ?? []).map((group) => ({
              filters: group.filters.map((f) => ({
                propertyName: f.propertyName,
                operator: f.operator,
                ...(f.value !== undefined ? { value: String(f.value) } : {}),
                ...(f.highValue !== undefined ? { highValue: String(f.highValue) } : {}),
                ...(f.values !== undefined ? { values: f.values } : {}),
              })),
            })),
            sorts: input.sorts ?? [],
            properties: input.properties ?? [],
            limit: input.limit,
            ...(input.after ? { after: input.after } : {}),
          },
        });
        const after = nextAfter(body);
        return ok({
          total: body?.total ?? 0,
          results: (body?.results ?? []).map((r) => compactRecord(r, input.properties)),
          ...(after ? { after } : {}),
        });
      }),
  );

  server.registerTool(
    'get_crm_objects',
    {
      title: 'Get CRM records by id',
      description:
        'Read up to 100 contacts, companies, deals or tickets by id (or by a unique property such as email). ' +
        'Returns the requested properties and the ids that were not found.',
      inputSchema: getInput,
      annotations: READ_ONLY,
    },
    (input) =>
      runTool(ctx, 'get_crm_objects', async () => {
        const body = await ctx.hubspot.request<BatchResponse>({
          method: 'POST',
          path: ctx.paths.batchRead(input.objectType),
          retrySafe: true,
          body: {
            inputs: input.ids.map((id) => ({ id })),
            properties: input.properties ?? [],
            ...(input.idProperty ? { idProperty: input.idProperty } : {}),
          },
        });
        const notFound = (body?.errors ?? [])
          .filter((e) => e.category === 'OBJECT_NOT_FOUND')
          .flatMap((e) => e.context?.ids ?? []);
        const otherErrors = (body?.errors ?? []).filter((e) => e.category !== 'OBJECT_NOT_FOUND').map((e) => e.message ?? e.category ?? 'error');
        return ok({
          results: (body?.results ?? []).map((r) => compactRecord(r, input.properties)),
          ...(notFound.length ? { notFound } : {}),
          ...(otherErrors.length ? { errors: otherErrors } : {}),
        });
      }),
  );
}

/** Registers create_crm_object and update_crm_object. */
export function registerObjectWriteTools(server: McpServer, ctx: ToolContext): void {
  server.registerTool(
    'create_crm_object',
    {
      title: 'Create a CRM record',
      description:
        'Create one contact, company, deal or ticket from property values. Use list_properties for the property names ' +
        'and list_pipelines for deal and ticket stages. Returns the new id.',
      inputSchema: createInput,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    (input) =>
      runTool(ctx, 'create_crm_object', async () => {
        const created = await ctx.hubspot.request<RecordResponse>({
          method: 'POST',
          path: ctx.paths.objects(input.objectType),
          body: { properties: stringify(input.properties) },
        });
        return ok(compactRecord(created, Object.keys(input.properties)));
      }),
  );

  server.registerTool(
    'update_crm_object',
    {
      title: 'Update a CRM record',
      description:
        'Set property values on one contact, company, deal or ticket; properties not given keep their values. ' +
        'Overwrites the previous values of the given properties.',
      inputSchema: updateInput,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    },
    (input) =>
      runTool(ctx, 'update_crm_object', async () => {
        const updated = await ctx.hubspot.request<RecordResponse>({
          method: 'PATCH',
          path: ctx.paths.object(input.objectType, input.id),
          query: { idProperty: input.idProperty },
          body: { properties: stringify(input.properties) },
        });
        return ok(compactRecord(updated, Object.keys(input.properties)));
      }),
  );
}

/** HubSpot stores every property value as a string. */
function stringify(properties: Record<string, string | number | boolean>): Record<string, string> {
  return Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, String(v)]));
}
