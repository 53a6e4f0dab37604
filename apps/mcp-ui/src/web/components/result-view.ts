import { h, type VNode } from 'preact';
/** A rendered element (any props). */
type Html = VNode<any>;
import { base64Bytes, mediaDataUrl, parseJsonText, type ContentBlock } from '../content.ts';
import { JsonView } from './json-view.ts';

/** A tool result as the protocol returns it. */
export interface ToolResult {
  content?: ContentBlock[];
  structuredContent?: unknown;
  isError?: boolean;
}

/** What a call ended with: a result (possibly isError) or a failure (a JSON-RPC or transport error). */
export type CallOutcome = { kind: 'result'; result: ToolResult } | { kind: 'failure'; message: string; code?: number } | { kind: 'cancelled' };

function TextBlock({ text }: { text: string }): Html {
  const json = parseJsonText(text);
  if (json !== undefined) return h('div', { class: 'block block-json' }, h(JsonView, { value: json }));
  return h('pre', { class: 'block block-text' }, text);
}

/** One content block, rendered by its type; unknown types are shown as JSON. */
export function ContentBlockView({ block, onOpenResource }: { block: ContentBlock; onOpenResource?: (uri: string) => void }): Html {
  switch (block.type) {
    case 'text':
      return h(TextBlock, { text: block.text ?? '' });
    case 'image': {
      const src = mediaDataUrl(block);
      return src
        ? h('figure', { class: 'block block-image' }, h('img', { src, alt: `Image result (${block.mimeType})` }), h('figcaption', null, `${block.mimeType}, ${base64Bytes(block.data ?? '')} bytes`))
        : h('p', { class: 'block' }, `Image of type ${block.mimeType ?? 'unknown'} not shown`);
    }
    case 'audio': {
      const src = mediaDataUrl(block);
      return src ? h('audio', { class: 'block', controls: true, src }) : h('p', { class: 'block' }, `Audio of type ${block.mimeType ?? 'unknown'} not shown`);
    }
    case 'resource_link':
      return h(
        'div',
        { class: 'block block-link' },
        h('span', { class: 'badge' }, 'resource link'),
        ' ',
        h('strong', null, block.title ?? block.name ?? block.uri),
        h('code', { class: 'uri' }, block.uri),
        block.description ? h('p', null, block.description) : null,
        onOpenResource && block.uri ? h('button', { type: 'button', onClick: () => onOpenResource(block.uri!) }, 'Read resource') : null,
      );
    case 'resource': {
      const resource = block.resource;
      return h(
        'div',
        { class: 'block block-resource' },
        h('span', { class: 'badge' }, 'embedded resource'),
        ' ',
        h('code', { class: 'uri' }, resource?.uri ?? ''),
        resource?.text !== undefined ? h(TextBlock, { text: resource.text }) : resource?.blob ? h('p', null, `${resource.mimeType ?? 'binary'}, ${base64Bytes(resource.blob)} bytes`) : null,
      );
    }
    default:
      return h('div', { class: 'block' }, h(JsonView, { value: block }));
  }
}

/** The outcome of a call: content blocks, structured content, and errors with the server's message. */
export function ResultView({ outcome, onOpenResource }: { outcome: CallOutcome; onOpenResource?: (uri: string) => void }): Html {
  if (outcome.kind === 'cancelled') return h('div', { class: 'result result-cancelled', role: 'status' }, h('p', null, 'Cancelled.'));
  if (outcome.kind === 'failure') {
    return h(
      'div',
      { class: 'result result-error', role: 'alert' },
      h('p', null, h('strong', null, outcome.code !== undefined ? `Error ${outcome.code}: ` : 'Error: '), outcome.message),
    );
  }
  const { result } = outcome;
  return h(
    'div',
    { class: `result ${result.isError ? 'result-error' : 'result-ok'}`, role: result.isError ? 'alert' : 'status' },
    result.isError ? h('p', null, h('strong', null, 'The tool reported an error:')) : null,
    (result.content ?? []).map((block, i) => h(ContentBlockView, { key: i, block, ...(onOpenResource ? { onOpenResource } : {}) })),
    result.structuredContent !== undefined
      ? h('section', { class: 'structured' }, h('h4', null, 'Structured content'), h(JsonView, { value: result.structuredContent }))
      : null,
    (result.content ?? []).length === 0 && result.structuredContent === undefined ? h('p', null, 'The tool returned no content.') : null,
  );
}
