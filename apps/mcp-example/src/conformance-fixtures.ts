/**
 * The fixtures the official conformance suite (@modelcontextprotocol/conformance, server scenarios)
 * calls by name. Registered only when EXAMPLE_CONFORMANCE_FIXTURES=true (the conformance test), never
 * in the default image. Contents follow the suite's expectations; they are test data, not features.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { completable, ResourceTemplate, type McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod/v4';

/** A 1x1 PNG and a minimal WAV, base64, as the suite expects for image and audio content. */
const PIXEL_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
const TINY_WAV = 'UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=';

const FIXTURE = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;

function registerContentTools(server: McpServer): void {
  server.registerTool('test_simple_text', { description: 'Conformance: simple text', annotations: { title: 'Simple text', ...FIXTURE } }, () => ({
    content: [{ type: 'text', text: 'This is a simple text response for testing.' }],
  }));
  server.registerTool('test_image_content', { description: 'Conformance: image content', annotations: { title: 'Image', ...FIXTURE } }, () => ({
    content: [{ type: 'image', data: PIXEL_PNG, mimeType: 'image/png' }],
  }));
  server.registerTool('test_audio_content', { description: 'Conformance: audio content', annotations: { title: 'Audio', ...FIXTURE } }, () => ({
    content: [{ type: 'audio', data: TINY_WAV, mimeType: 'audio/wav' }],
  }));
  server.registerTool(
    'test_embedded_resource',
    { description: 'Conformance: embedded resource', annotations: { title: 'Embedded resource', ...FIXTURE } },
    () => ({
      content: [
        { type: 'resource', resource: { uri: 'test://embedded-resource', mimeType: 'text/plain', text: 'This is an embedded resource content.' } },
      ],
    }),
  );
  server.registerTool(
    'test_multiple_content_types',
    { description: 'Conformance: text, image and resource', annotations: { title: 'Mixed content', ...FIXTURE } },
    () => ({
      content: [
        { type: 'text', text: 'Multiple content types test:' },
        { type: 'image', data: PIXEL_PNG, mimeType: 'image/png' },
        {
          type: 'resource',
          resource: { uri: 'test://mixed-content-resource', mimeType: 'application/json', text: JSON.stringify({ test: 'data', value: 123 }) },
        },
      ],
    }),
  );
  server.registerTool('test_error_handling', { description: 'Conformance: a tool that fails', annotations: { title: 'Error', ...FIXTURE } }, () => {
    throw new Error('This tool intentionally returns an error for testing');
  });
}

function registerStreamingTools(server: McpServer): void {
  server.registerTool(
    'test_tool_with_logging',
    { description: 'Conformance: log messages during a call', inputSchema: z.object({}), annotations: { title: 'Logging', ...FIXTURE } },
    async (_args, ctx) => {
      for (const [index, data] of ['Tool execution started', 'Tool processing data', 'Tool execution completed'].entries()) {
        if (index > 0) await sleep(50);
        await ctx.mcpReq.notify({ method: 'notifications/message', params: { level: 'info', data } });
      }
      return { content: [{ type: 'text', text: 'Tool with logging executed successfully' }] };
    },
  );
  server.registerTool(
    'test_tool_with_progress',
    { description: 'Conformance: progress during a call', inputSchema: z.object({}), annotations: { title: 'Progress', ...FIXTURE } },
    async (_args, ctx) => {
      const progressToken = ctx.mcpReq._meta?.progressToken ?? 0;
      for (const progress of [0, 50, 100]) {
        if (progress > 0) await sleep(50);
        await ctx.mcpReq.notify({
          method: 'notifications/progress',
          params: { progressToken, progress, total: 100, message: `Completed step ${progress} of 100` },
        });
      }
      return { content: [{ type: 'text', text: String(progressToken) }] };
    },
  );
}

function registerFixtureResources(server: McpServer): void {
  server.registerResource('static-text', 'test://static-text', { title: 'Static Text Resource', mimeType: 'text/plain' }, () => ({
    contents: [{ uri: 'test://static-text', mimeType: 'text/plain', text: 'This is the content of the static text resource.' }],
  }));
  server.registerResource('static-binary', 'test://static-binary', { title: 'Static Binary Resource', mimeType: 'image/png' }, () => ({
    contents: [{ uri: 'test://static-binary', mimeType: 'image/png', blob: PIXEL_PNG }],
  }));
  server.registerResource(
    'template',
    new ResourceTemplate('test://template/{id}/data', { list: undefined }),
    { title: 'Resource Template', mimeType: 'application/json' },
    (uri, variables) => ({
      contents: [
        {
          uri: uri.toString(),
          mimeType: 'application/json',
          text: JSON.stringify({ id: variables.id, templateTest: true, data: `Data for ID: ${String(variables.id)}` }),
        },
      ],
    }),
  );
}

function registerFixturePrompts(server: McpServer): void {
  server.registerPrompt('test_simple_prompt', { title: 'Simple Test Prompt', description: 'Conformance: a prompt without arguments' }, () => ({
    messages: [{ role: 'user', content: { type: 'text', text: 'This is a simple prompt for testing.' } }],
  }));
  server.registerPrompt(
    'test_prompt_with_arguments',
    {
      title: 'Prompt With Arguments',
      description: 'Conformance: a prompt with two arguments',
      argsSchema: z.object({
        arg1: completable(z.string().describe('First test argument'), (value) => ['alpha', 'beta'].filter((v) => v.startsWith(value))),
        arg2: z.string().describe('Second test argument'),
      }),
    },
    ({ arg1, arg2 }) => ({
      messages: [{ role: 'user', content: { type: 'text', text: `Prompt with arguments: arg1='${arg1}', arg2='${arg2}'` } }],
    }),
  );
  server.registerPrompt(
    'test_prompt_with_embedded_resource',
    { title: 'Prompt With Embedded Resource', description: 'Conformance: a prompt embedding a resource', argsSchema: z.object({ resourceUri: z.string().describe('URI of the resource to embed') }) },
    ({ resourceUri }) => ({
      messages: [
        { role: 'user', content: { type: 'resource', resource: { uri: resourceUri, mimeType: 'text/plain', text: 'Embedded resource content for testing.' } } },
        { role: 'user', content: { type: 'text', text: 'Please process the embedded resource above.' } },
      ],
    }),
  );
  server.registerPrompt('test_prompt_with_image', { title: 'Prompt With Image', description: 'Conformance: a prompt with an image' }, () => ({
    messages: [
      { role: 'user', content: { type: 'image', data: PIXEL_PNG, mimeType: 'image/png' } },
      { role: 'user', content: { type: 'text', text: 'Please analyze the image above.' } },
    ],
  }));
}

/** Registers every fixture, plus the logging capability the logging-set-level scenario checks. */
export function registerConformanceFixtures(server: McpServer): void {
  server.server.registerCapabilities({ logging: {} });
  registerContentTools(server);
  registerStreamingTools(server);
  registerFixtureResources(server);
  registerFixturePrompts(server);
}
