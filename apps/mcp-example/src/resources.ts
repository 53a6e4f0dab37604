/** The example resource and prompt. */
import type { McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod/v4';

/** Text of the example://about resource. */
export const ABOUT_TEXT = [
  '# mcp-example',
  '',
  'An example MCP server: echo, add, current_time, long_task (progress and cancellation) and',
  'text_stats (structured output). It is the template for new servers in this repository.',
  '',
].join('\n');

/** Registers the about resource and the summarize prompt. */
export function registerResourcesAndPrompts(server: McpServer): void {
  server.registerResource(
    'about',
    'example://about',
    { title: 'About this server', description: 'What mcp-example offers', mimeType: 'text/markdown' },
    (uri) => ({ contents: [{ uri: uri.href, mimeType: 'text/markdown', text: ABOUT_TEXT }] }),
  );
  server.registerPrompt(
    'summarize',
    {
      title: 'Summarize a text',
      description: 'Asks the model for a short summary of a text.',
      argsSchema: z.object({
        text: z.string().describe('The text to summarize'),
        style: z.string().optional().describe('Optional style, e.g. "bullet points"'),
      }),
    },
    ({ text, style }) => ({
      messages: [
        {
          role: 'user',
          content: { type: 'text', text: `Summarize the following text${style ? ` as ${style}` : ''}:\n\n${text}` },
        },
      ],
    }),
  );
}
