/** text_stats: a tool with an outputSchema, returning structuredContent plus the same JSON as text. */
import type { McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod/v4';

/** The shape text_stats returns. */
export const textStatsSchema = z.object({
  characters: z.number().int().describe('Unicode code points'),
  words: z.number().int().describe('Whitespace-separated words'),
  lines: z.number().int().describe('Lines (an empty text has 0)'),
  longestWord: z.string().describe('The longest word (first one on a tie)'),
});

/** Counts characters (code points), words and lines of a text. */
export function textStats(text: string): z.infer<typeof textStatsSchema> {
  const words = text.split(/\s+/u).filter((word) => word !== '');
  let longestWord = '';
  for (const word of words) if ([...word].length > [...longestWord].length) longestWord = word;
  return {
    characters: [...text].length,
    words: words.length,
    lines: text === '' ? 0 : text.split(/\r\n|\r|\n/u).length,
    longestWord,
  };
}

/** Registers text_stats. */
export function registerTextStats(server: McpServer): void {
  server.registerTool(
    'text_stats',
    {
      title: 'Text statistics',
      description: 'Counts characters, words and lines of a text. Returns structured content (and the same JSON as text).',
      inputSchema: z.object({ text: z.string().max(1_000_000).describe('The text to measure') }),
      outputSchema: textStatsSchema,
      annotations: { title: 'Text statistics', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    ({ text }) => {
      const stats = textStats(text);
      return { structuredContent: stats, content: [{ type: 'text', text: JSON.stringify(stats) }] };
    },
  );
}
