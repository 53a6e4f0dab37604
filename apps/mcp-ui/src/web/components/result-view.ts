import { h, type VNode } from 'preact';
/** A rendered element (any props). */
type Html = VNode<any>;
import { useState } from 'preact/hooks';
import { base64Bytes, cellOf, cellText, columnsOf, mediaDataUrl, parseJsonText, recordsOf, sameJson, type ContentBlock } from '../content.ts';
import { ErrorMessage } from './error-message.ts';
import { JsonView } from './json-view.ts';
import { looksLikeMarkdown, Markdown } from './markdown.ts';

/** A tool result as the protocol returns it. */
export interface ToolResult {
  content?: ContentBlock[];
  structuredContent?: unknown;
  isError?: boolean;
}

/** What a call ended with: a result (possibly isError), a failure (a JSON-RPC or transport error), or Cancel. */
export type CallOutcome =
  | { kind: 'result'; result: ToolResult }
  | { kind: 'failure'; message: string; detail?: string; code?: number }
  | { kind: 'cancelled' };

const TABLE_ROWS = 500;

/** Rows of records as a table (at most 500 shown), with the JSON tree one click away. */
export function StructuredView({ value }: { value: unknown }): Html {
  const records = recordsOf(value);
  const [asTree, setAsTree] = useState(false);
  if (!records) return h(JsonView, { value });
  const columns = columnsOf(records.rows);
  const summary = Object.entries(records.rest).map(([k, v]) => `${k}: ${cellText(v)}`);
  return h(
    'div',
    { class: 'structured-view' },
    h(
      'div',
      { class: 'row' },
      h('span', { class: 'muted' }, `${records.rows.length} record${records.rows.length === 1 ? '' : 's'}${records.key ? ` in ${records.key}` : ''}${summary.length ? ` · ${summary.join(' · ')}` : ''}`),
      h('button', { type: 'button', class: 'secondary small', 'aria-pressed': asTree ? 'true' : 'false', onClick: () => setAsTree(!asTree) }, asTree ? 'Show as table' : 'Show as JSON tree'),
    ),
    asTree
      ? h(JsonView, { value })
      : h(
          'div',
          { class: 'table-scroll', tabIndex: 0, role: 'region', 'aria-label': 'Result table' },
          h(
            'table',
            { class: 'records' },
            h('thead', null, h('tr', null, columns.map((c) => h('th', { key: c, scope: 'col' }, c)))),
            h('tbody', null, records.rows.slice(0, TABLE_ROWS).map((row, i) => h('tr', { key: i }, columns.map((c) => h('td', { key: c }, cellText(cellOf(row, c))))))),
          ),
          records.rows.length > TABLE_ROWS ? h('p', { class: 'muted' }, `First ${TABLE_ROWS} of ${records.rows.length} rows; the JSON tree has all.`) : null,
        ),
  );
}

function TextBlock({ text }: { text: string }): Html {
  const json = parseJsonText(text);
  if (json !== undefined) return h('div', { class: 'block block-json' }, h(StructuredView, { value: json }));
  if (looksLikeMarkdown(text)) return h(Markdown, { text, class: 'block block-markdown' });
  return h('pre', { class: 'block block-text' }, text);
}

/** One content block, rendered by its type; unknown types are shown as JSON. */
export function ContentBlockView({ block, onOpenResource }: { block: ContentBlock; onOpenResource?: ((uri: string) => void) | undefined }): Html {
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
        block.description ? h(Markdown, { text: block.description }) : null,
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

/** The content blocks worth showing: a text block that only repeats structuredContent as JSON is left out. */
export function visibleBlocks(result: ToolResult): ContentBlock[] {
  const blocks = result.content ?? [];
  if (result.structuredContent === undefined) return blocks;
  return blocks.filter((block) => !(block.type === 'text' && sameJson(parseJsonText(block.text ?? ''), result.structuredContent)));
}

/** The outcome of a call: content blocks and structured content (each shown once), or the error in words. */
export function ResultView({ outcome, onOpenResource, onRetry }: { outcome: CallOutcome; onOpenResource?: (uri: string) => void; onRetry?: () => void }): Html {
  if (outcome.kind === 'cancelled') return h('div', { class: 'result result-cancelled', role: 'status' }, h('p', null, 'Cancelled.'));
  if (outcome.kind === 'failure') return h(ErrorMessage, { message: outcome.message, detail: outcome.detail, onRetry });
  const { result } = outcome;
  const blocks = visibleBlocks(result);
  return h(
    'div',
    { class: `result ${result.isError ? 'result-error' : 'result-ok'}`, role: result.isError ? 'alert' : 'status' },
    result.isError ? h('p', null, h('strong', null, 'The tool reported an error:')) : null,
    blocks.map((block, i) => h(ContentBlockView, { key: i, block, onOpenResource })),
    result.structuredContent !== undefined ? h('section', { class: 'structured', 'aria-label': 'Structured content' }, h(StructuredView, { value: result.structuredContent })) : null,
    blocks.length === 0 && result.structuredContent === undefined ? h('p', null, 'The tool returned no content.') : null,
  );
}
