/**
 * Notes on records. HubSpot endpoint: POST {objects}/notes with `hs_note_body`, `hs_timestamp` (required)
 * and the associations in the same request, so the note never exists unattached.
 */
import type { McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { ok, recordIdSchema, recordTypeSchema, runTool, type ToolContext } from './shared.ts';

/** HubSpot's limit on a note body. */
export const NOTE_BODY_MAX = 65_536;

const addNoteInput = z.object({
  body: z.string().min(1).max(NOTE_BODY_MAX).describe('the note text (HTML allowed), at most 65,536 characters'),
  records: z
    .array(z.object({ objectType: recordTypeSchema, id: recordIdSchema }))
    .min(1)
    .max(20)
    .describe('the records the note belongs to, e.g. [{"objectType": "contacts", "id": "51"}]'),
  timestamp: z.iso.datetime({ offset: true }).optional().describe('when the note was taken (ISO 8601); default: now'),
  ownerId: z.string().regex(/^\d{1,20}$/).optional().describe('the owner id (see list_owners) to credit the note to'),
});

interface NoteResponse {
  id: string;
  properties?: Record<string, string | null>;
}

/** Registers add_note. */
export function registerNoteWriteTools(server: McpServer, ctx: ToolContext, now: () => Date = () => new Date()): void {
  server.registerTool(
    'add_note',
    {
      title: 'Add a note to records',
      description: 'Add a note to one or more contacts, companies, deals or tickets; it appears on their timelines.',
      inputSchema: addNoteInput,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    (input) =>
      runTool(ctx, 'add_note', async () => {
        const associations = [];
        for (const record of input.records) {
          const spec = await ctx.associationTypes.defaultType('notes', record.objectType);
          associations.push({ to: { id: record.id }, types: [spec] });
        }
        const timestamp = input.timestamp ?? now().toISOString();
        const note = await ctx.hubspot.request<NoteResponse>({
          method: 'POST',
          path: ctx.paths.objects('notes'),
          body: {
            properties: {
              hs_note_body: input.body,
              hs_timestamp: timestamp,
              ...(input.ownerId ? { hubspot_owner_id: input.ownerId } : {}),
            },
            associations,
          },
        });
        return ok({ id: String(note.id), timestamp, records: input.records });
      }),
  );
}
