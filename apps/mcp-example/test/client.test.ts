/**
 * mcp-example through the official MCP SDK v2 client over real HTTP on loopback, in both protocol eras
 * (2025-11-25 with the initialize handshake, 2026-07-28 with server/discover): discovery, every tool,
 * errors, progress, cancellation, the resource and the prompt, and 50 concurrent clients.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProtocolError } from '@modelcontextprotocol/client';
import { startMcpApp, type RunningMcpApp } from '@mcp-gateway/mcp-runtime';
import { createApp, type TaskEvent } from '../src/app.ts';
import { ABOUT_TEXT } from '../src/resources.ts';
import { connectClient, ERAS, firstText, waitFor } from './helpers.ts';

const TOOL_NAMES = ['add', 'current_time', 'echo', 'long_task', 'text_stats'];

let app: RunningMcpApp;
const taskEvents: TaskEvent[] = [];

beforeAll(async () => {
  app = await startMcpApp(createApp({ stepMs: 40, onTaskEvent: (event) => taskEvents.push(event) }), {
    port: 0,
    host: '127.0.0.1',
    logLevel: 'error',
  });
});
afterAll(async () => {
  await app.close();
});

describe.each(ERAS)('protocol %s', (era) => {
  it('negotiates the era and reports the server identity', async () => {
    const client = await connectClient(app.url, era);
    try {
      expect(client.getServerVersion()).toMatchObject({ name: 'mcp-example', version: '0.1.0' });
      expect(client.getNegotiatedProtocolVersion()).toBe(era);
      expect(client.getServerCapabilities()?.tools).toBeDefined();
    } finally {
      await client.close();
    }
  });

  it('lists every tool with a title and all four annotations', async () => {
    const client = await connectClient(app.url, era);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual(TOOL_NAMES);
      for (const tool of tools) {
        expect(tool.annotations, tool.name).toMatchObject({
          title: expect.any(String),
          readOnlyHint: expect.any(Boolean),
          destructiveHint: expect.any(Boolean),
          idempotentHint: expect.any(Boolean),
          openWorldHint: expect.any(Boolean),
        });
        expect(tool.inputSchema.type).toBe('object');
      }
      expect(tools.find((tool) => tool.name === 'text_stats')?.outputSchema?.properties).toHaveProperty('words');
    } finally {
      await client.close();
    }
  });

  it('calls echo, add and current_time', async () => {
    const client = await connectClient(app.url, era);
    try {
      expect(firstText(await client.callTool({ name: 'echo', arguments: { text: `héllo ${era}` } }))).toBe(`héllo ${era}`);
      expect(firstText(await client.callTool({ name: 'add', arguments: { a: 2.5, b: -4 } }))).toBe('-1.5');
      const time = firstText(await client.callTool({ name: 'current_time', arguments: { timeZone: 'Asia/Kolkata' } }));
      expect(time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+05:30 \(Asia\/Kolkata\)$/);
    } finally {
      await client.close();
    }
  });

  it('returns structuredContent with the same JSON as text from text_stats', async () => {
    const client = await connectClient(app.url, era);
    try {
      const result = await client.callTool({ name: 'text_stats', arguments: { text: 'one two\nthree' } });
      const expected = { characters: 13, words: 3, lines: 2, longestWord: 'three' };
      expect(result.structuredContent).toEqual(expected);
      expect(JSON.parse(firstText(result))).toEqual(expected);
      expect(result.isError).toBeFalsy();
    } finally {
      await client.close();
    }
  });

  it('gives isError results for invalid arguments, an invalid time zone and a failing tool', async () => {
    const client = await connectClient(app.url, era);
    try {
      const invalid = await client.callTool({ name: 'add', arguments: { a: 'one', b: 2 } });
      expect(invalid.isError).toBe(true);
      expect(firstText(invalid)).toMatch(/Invalid arguments for tool add/);
      const zone = await client.callTool({ name: 'current_time', arguments: { timeZone: 'Mars/Olympus_Mons' } });
      expect(zone.isError).toBe(true);
      expect(firstText(zone)).toMatch(/Unknown time zone "Mars\/Olympus_Mons"/);
      const overflow = await client.callTool({ name: 'add', arguments: { a: Number.MAX_VALUE, b: Number.MAX_VALUE } });
      expect(overflow.isError).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('answers an unknown tool with the JSON-RPC error the spec lists (-32602), not a crash', async () => {
    // MCP (2025-11-25 and 2026-07-28, "Error Handling"): unknown tools are protocol errors; input
    // validation failures are tool execution errors (isError), as the previous test shows.
    const client = await connectClient(app.url, era);
    try {
      const error = await client.callTool({ name: 'no_such_tool', arguments: {} }).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(ProtocolError);
      expect((error as ProtocolError).code).toBe(-32602);
      expect((error as ProtocolError).message).toMatch(/no_such_tool/);
      // The server keeps serving after it.
      expect(firstText(await client.callTool({ name: 'echo', arguments: { text: 'still here' } }))).toBe('still here');
    } finally {
      await client.close();
    }
  });

  it('streams progress notifications for long_task', async () => {
    const client = await connectClient(app.url, era);
    try {
      const progress: Array<{ progress: number; total?: number }> = [];
      const result = await client.callTool({ name: 'long_task', arguments: { steps: 3, stepMs: 5 } }, { onprogress: (update) => progress.push(update) });
      expect(firstText(result)).toBe('Completed 3 steps');
      expect(progress.map((update) => update.progress)).toEqual([1, 2, 3]);
      expect(progress.every((update) => update.total === 3)).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('stops long_task on the server when the client cancels', async () => {
    const client = await connectClient(app.url, era);
    try {
      const controller = new AbortController();
      const firstRun = taskEvents.length;
      const call = client.callTool({ name: 'long_task', arguments: { steps: 100, stepMs: 40 } }, { signal: controller.signal, onprogress: () => {} });
      await waitFor(() => taskEvents.slice(firstRun).some((event) => event.type === 'step'), 5_000, 'a first step');
      controller.abort();
      await expect(call).rejects.toThrow();
      await waitFor(() => taskEvents.slice(firstRun).some((event) => event.type === 'cancelled'), 5_000, 'the server-side cancel');
      const mine = taskEvents.slice(firstRun);
      const runId = mine[0]!.runId;
      const cancelled = mine.find((event) => event.type === 'cancelled' && event.runId === runId);
      expect(cancelled).toBeDefined();
      const stepsAtCancel = mine.filter((event) => event.type === 'step' && event.runId === runId).length;
      await new Promise((resolve) => setTimeout(resolve, 200));
      // No step ran after the cancel, and the task never completed.
      expect(taskEvents.filter((event) => event.type === 'step' && event.runId === runId)).toHaveLength(stepsAtCancel);
      expect(taskEvents.some((event) => event.type === 'completed' && event.runId === runId)).toBe(false);
      expect(stepsAtCancel).toBeLessThan(100);
    } finally {
      await client.close();
    }
  });

  it('lists and reads the resource, lists and gets the prompt', async () => {
    const client = await connectClient(app.url, era);
    try {
      const { resources } = await client.listResources();
      expect(resources).toEqual([expect.objectContaining({ uri: 'example://about', mimeType: 'text/markdown' })]);
      const read = await client.readResource({ uri: 'example://about' });
      expect(read.contents).toEqual([{ uri: 'example://about', mimeType: 'text/markdown', text: ABOUT_TEXT }]);
      const { prompts } = await client.listPrompts();
      expect(prompts.map((prompt) => prompt.name)).toEqual(['summarize']);
      const prompt = await client.getPrompt({ name: 'summarize', arguments: { text: 'A long story.', style: 'one line' } });
      expect(prompt.messages[0]?.content).toEqual({ type: 'text', text: 'Summarize the following text as one line:\n\nA long story.' });
    } finally {
      await client.close();
    }
  });

  it('serves 50 concurrent clients, each getting its own answers', async () => {
    const clients = await Promise.all(Array.from({ length: 50 }, (_, index) => connectClient(app.url, era, `client-${index}`)));
    try {
      const answers = await Promise.all(
        clients.map(async (client, index) => {
          const [echo, sum] = await Promise.all([
            client.callTool({ name: 'echo', arguments: { text: `client ${index}` } }),
            client.callTool({ name: 'add', arguments: { a: index, b: 1000 } }),
          ]);
          return [firstText(echo), firstText(sum)];
        }),
      );
      answers.forEach(([echo, sum], index) => {
        expect(echo).toBe(`client ${index}`);
        expect(sum).toBe(String(index + 1000));
      });
    } finally {
      await Promise.all(clients.map((client) => client.close()));
    }
  });
});
