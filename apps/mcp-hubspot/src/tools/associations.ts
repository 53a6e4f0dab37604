/**
 * Associations between records (associations v4): list the records linked to one record, link two records.
 * HubSpot endpoints: GET {objects}/{from}/{id}/associations/{to}, PUT .../associations/default/{to}/{toId},
 * PUT .../associations/{to}/{toId} with [{associationCategory, associationTypeId}].
 */
import type { McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { READ_ONLY, associableTypeSchema, nextAfter, ok, recordIdSchema, runTool, type ToolContext } from './shared.ts';

/** HubSpot's page size bound for association lists. */
export const ASSOCIATIONS_MAX_LIMIT = 500;

const listInput = z.object({
  objectType: associableTypeSchema,
  objectId: recordIdSchema,
  toObjectType: associableTypeSchema,
  limit: z.number().int().min(1).max(ASSOCIATIONS_MAX_LIMIT).default(100),
  after: z.string().max(100).optional().describe('the cursor "after" of the previous page'),
});

const createInput = z
  .object({
    fromObjectType: associableTypeSchema,
    fromObjectId: recordIdSchema,
    toObjectType: associableTypeSchema,
    toObjectId: recordIdSchema,
    associationTypeId: z.number().int().min(1).optional().describe('a labelled association type; default: the unlabelled association'),
    associationCategory: z.enum(['HUBSPOT_DEFINED', 'USER_DEFINED', 'INTEGRATOR_DEFINED']).optional().describe('category of associationTypeId; default HUBSPOT_DEFINED'),
  })
  .refine((i) => i.associationCategory === undefined || i.associationTypeId !== undefined, {
    message: 'associationCategory needs associationTypeId',
    path: ['associationCategory'],
  });

interface ListResponse {
  results?: Array<{ toObjectId: number | string; associationTypes?: Array<{ category?: string; typeId?: number; label?: string | null }> }>;
  paging?: { next?: { after?: string } };
}

interface DefaultCreateResponse {
  results?: Array<{ associationSpec?: { associationCategory?: string; associationTypeId?: number } }>;
}

interface LabelledCreateResponse {
  labels?: string[];
}

/** Registers list_associations. */
export function registerAssociationReadTools(server: McpServer, ctx: ToolContext): void {
  server.registerTool(
    'list_associations',
    {
      title: 'List associated records',
      description:
        'List the ids of the records of one type associated with a record (e.g. the contacts of a company), ' +
        'with the association types and labels. Use get_crm_objects to read them.',
      inputSchema: listInput,
      annotations: READ_ONLY,
    },
    (input) =>
      runTool(ctx, 'list_associations', async () => {
        const body = await ctx.hubspot.request<ListResponse>({
          method: 'GET',
          path: ctx.paths.associations(input.objectType, input.objectId, input.toObjectType),
          query: { limit: input.limit, after: input.after },
        });
        const after = nextAfter(body);
        return ok({
          results: (body?.results ?? []).map((r) => ({
            id: String(r.toObjectId),
            types: (r.associationTypes ?? []).map((t) => ({ category: t.category, typeId: t.typeId, label: t.label ?? null })),
          })),
          ...(after ? { after } : {}),
        });
      }),
  );
}

/** Registers create_association. */
export function registerAssociationWriteTools(server: McpServer, ctx: ToolContext): void {
  server.registerTool(
    'create_association',
    {
      title: 'Associate two records',
      description:
        'Link two records, e.g. a contact to a company or a deal to a contact. Without associationTypeId the ' +
        'default unlabelled association is made; with it, that labelled association. Linking twice changes nothing.',
      inputSchema: createInput,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    },
    (input) =>
      runTool(ctx, 'create_association', async () => {
        const from = { objectType: input.fromObjectType, id: input.fromObjectId };
        const to = { objectType: input.toObjectType, id: input.toObjectId };
        if (input.associationTypeId === undefined) {
          const body = await ctx.hubspot.request<DefaultCreateResponse>({
            method: 'PUT',
            path: ctx.paths.defaultAssociation(from.objectType, from.id, to.objectType, to.id),
          });
          const types = (body?.results ?? []).flatMap((r) =>
            r.associationSpec ? [{ category: r.associationSpec.associationCategory, typeId: r.associationSpec.associationTypeId }] : [],
          );
          return ok({ associated: true, from, to, types });
        }
        const category = input.associationCategory ?? 'HUBSPOT_DEFINED';
        const body = await ctx.hubspot.request<LabelledCreateResponse>({
          method: 'PUT',
          path: ctx.paths.labelledAssociation(from.objectType, from.id, to.objectType, to.id),
          body: [{ associationCategory: category, associationTypeId: input.associationTypeId }],
        });
        return ok({ associated: true, from, to, types: [{ category, typeId: input.associationTypeId }], labels: body?.labels ?? [] });
      }),
  );
}
