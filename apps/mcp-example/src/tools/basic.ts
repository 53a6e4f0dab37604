/** echo and add: the smallest useful tools. */
import type { McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod/v4';

/** Adds two finite numbers; rejects a non-finite sum (overflow). */
export function addNumbers(a: number, b: number): number {
  const sum = a + b;
  if (!Number.isFinite(sum)) throw new RangeError('the sum is not a finite number');
  return sum;
}

/** Registers echo and add. */
export function registerBasicTools(server: McpServer): void {
  server.registerTool(
    'echo',
    {
      title: 'Echo',
      description: 'Returns the text it is given.',
      inputSchema: z.object({ text: z.string().max(100_000).describe('Text to send back') }),
      annotations: { title: 'Echo', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    ({ text }) => ({ content: [{ type: 'text', text }] }),
  );
  server.registerTool(
    'add',
    {
      title: 'Add two numbers',
      description: 'Adds a and b and returns the sum.',
      inputSchema: z.object({ a: z.number().describe('First addend'), b: z.number().describe('Second addend') }),
      annotations: { title: 'Add two numbers', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    ({ a, b }) => {
      try {
        return { content: [{ type: 'text', text: String(addNumbers(a, b)) }] };
      } catch (error) {
        return { isError: true, content: [{ type: 'text', text: `Cannot add: ${(error as Error).message}` }] };
      }
    },
  );
}
