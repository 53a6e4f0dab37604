import { h, type VNode } from 'preact';
/** A rendered element (any props). */
type Html = VNode<any>;
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Exchange } from '../exchange.ts';
import { newEntryId, type HistoryEntry } from '../history-store.ts';
import { describeMcpError, type Connection } from '../mcp-connection.ts';
import { buildArguments, draftOf, initialDraft, takesNoArguments, type Draft, type FieldErrors, type JsonSchema } from '../schema-form/model.ts';
import { CopyButton } from './copy-button.ts';
import { Markdown } from './markdown.ts';
import { ResultView, type CallOutcome, type ToolResult } from './result-view.ts';
import { SchemaField } from './schema-field.ts';

/** Tool annotations (MCP hints: what a tool says about itself; untrusted, but what a person decides on). */
export interface ToolAnnotations {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

/** A tool as tools/list describes it. */
export interface ToolInfo {
  name: string;
  title?: string;
  description?: string;
  inputSchema?: JsonSchema;
  annotations?: ToolAnnotations;
}

interface Progress {
  progress: number;
  total?: number;
  message?: string;
}

/** The annotation badges of a tool: only what it declares, with what each means. */
export function annotationBadges(a: ToolAnnotations | undefined): { label: string; title: string; tone: 'ok' | 'warn' | 'bad' | 'plain' }[] {
  if (!a || [a.readOnlyHint, a.destructiveHint, a.idempotentHint, a.openWorldHint].every((v) => v === undefined)) {
    return [{ label: 'no annotations', title: 'The tool declares nothing about its effects: treated as one that may change or delete data.', tone: 'warn' }];
  }
  const badges: ReturnType<typeof annotationBadges> = [];
  if (a.readOnlyHint === true) badges.push({ label: 'read-only', title: 'Declares that it does not change anything.', tone: 'ok' });
  else if (a.destructiveHint === false) badges.push({ label: 'changes data', title: 'May change data, but declares that it deletes or overwrites nothing.', tone: 'warn' });
  else badges.push({ label: 'destructive', title: 'May delete or overwrite data.', tone: 'bad' });
  if (a.idempotentHint === true && a.readOnlyHint !== true) badges.push({ label: 'idempotent', title: 'Calling it again with the same arguments has no further effect.', tone: 'plain' });
  if (a.openWorldHint === true) badges.push({ label: 'open world', title: 'Reaches systems outside this server (the internet, a SaaS API).', tone: 'plain' });
  if (a.openWorldHint === false) badges.push({ label: 'closed world', title: 'Works only within this server.', tone: 'plain' });
  return badges;
}

/** Whether a call asks first: anything not declared read-only (the protocol's defaults: not read-only, destructive). */
export function needsConfirmation(a: ToolAnnotations | undefined): boolean {
  return a?.readOnlyHint !== true;
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The call as a curl command through the gateway; the token stays a variable the person fills in. */
export function curlOf(gatewayUrl: string, tool: string, args: Record<string, unknown>): string {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: tool, arguments: args } });
  return [
    `curl -sN ${shellQuote(gatewayUrl)}`,
    `  -H "Authorization: Bearer $TOKEN"`,
    `  -H 'Content-Type: application/json'`,
    `  -H 'Accept: application/json, text/event-stream'`,
    `  -H 'MCP-Protocol-Version: 2025-11-25'`,
    `  --data-raw ${shellQuote(body)}`,
  ].join(' \\\n');
}

/** The JSON-RPC request and the messages that answered it, as they went over the wire. */
function RawExchange({ exchange }: { exchange: Exchange }): Html {
  return h(
    'div',
    { class: 'raw-exchange' },
    h('h5', null, 'Request'),
    h('pre', null, JSON.stringify(exchange.request, null, 2)),
    h('h5', null, `Response${exchange.status ? ` (HTTP ${exchange.status})` : ''}`),
    exchange.messages.length ? exchange.messages.map((m, i) => h('pre', { key: i }, JSON.stringify(m, null, 2))) : h('p', { class: 'muted' }, 'No message received.'),
  );
}

/** The generated form of a tool, confirmation for calls that may change data, the call with progress and Cancel. */
export function ToolPanel(props: {
  server: string;
  /** The gateway's URL of this server (for the curl command). */
  gatewayUrl: string;
  tool: ToolInfo;
  connection: Connection;
  initialArgs?: Record<string, unknown>;
  /** Run as soon as shown (Run again from the history); a call that needs confirmation still asks. */
  autoRun?: boolean;
  onHistory: (entry: HistoryEntry) => void;
  onSignedOut: () => void;
  onOpenResource: (uri: string) => void;
}): Html {
  const { tool, connection } = props;
  const schema: JsonSchema = tool.inputSchema ?? { type: 'object', properties: {} };
  const [draft, setDraft] = useState<Draft>(() => (props.initialArgs ? draftOf(schema, props.initialArgs) : initialDraft(schema)));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [confirming, setConfirming] = useState<Record<string, unknown> | null>(null);
  const [running, setRunning] = useState<{ controller: AbortController; progress?: Progress } | null>(null);
  const [last, setLast] = useState<{ outcome: CallOutcome; args: Record<string, unknown>; exchange?: Exchange } | null>(null);
  const [showRaw, setShowRaw] = useState(false);
  const resultRef = useRef<HTMLHeadingElement>(null);
  const confirmRef = useRef<HTMLDivElement>(null);
  const idPrefix = `tool-${props.server}-${tool.name}`.replace(/[^A-Za-z0-9_-]/g, '_');
  const title = tool.title ?? tool.annotations?.title ?? tool.name;

  const runningRef = useRef<AbortController | null>(null);
  runningRef.current = running?.controller ?? null;
  // Leaving the tool (another tool, another server) cancels its call in flight.
  useEffect(() => () => runningRef.current?.abort(), []);
  useEffect(() => {
    if (props.autoRun) start();
  }, []);
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  async function run(args: Record<string, unknown>) {
    setConfirming(null);
    const controller = new AbortController();
    const entry: HistoryEntry = { id: newEntryId(), kind: 'tool', server: props.server, name: tool.name, args, startedAt: new Date().toISOString() };
    const from = connection.log.nextSeq;
    setRunning({ controller });
    setLast(null);
    setShowRaw(false);
    props.onHistory(entry);
    let outcome: CallOutcome;
    try {
      const response = (await connection.client.callTool(
        { name: tool.name, arguments: args },
        {
          signal: controller.signal,
          resetTimeoutOnProgress: true,
          timeout: 120_000,
          onprogress: (p: Progress) => setRunning((current) => (current ? { ...current, progress: { progress: p.progress, ...(p.total !== undefined ? { total: p.total } : {}), ...(p.message ? { message: p.message } : {}) } } : current)),
        },
      )) as ToolResult;
      outcome = { kind: 'result', result: response };
    } catch (error) {
      const described = describeMcpError(error, props.server);
      if (described.signedOut) props.onSignedOut();
      outcome = controller.signal.aborted ? { kind: 'cancelled' } : { kind: 'failure', message: described.message, ...(described.detail ? { detail: described.detail } : {}), ...(described.code !== undefined ? { code: described.code } : {}) };
    }
    setRunning(null);
    const exchange = connection.log.find(from, 'tools/call', tool.name);
    setLast({ outcome, args, ...(exchange ? { exchange } : {}) });
    props.onHistory({ ...entry, durationMs: Date.now() - Date.parse(entry.startedAt), outcome });
    requestAnimationFrame(() => resultRef.current?.focus());
  }

  function start() {
    const built = buildArguments(schema, draft);
    if (!built.ok) {
      setErrors(built.errors);
      // Move focus to the first invalid field so keyboard and screen reader users land on the problem.
      requestAnimationFrame(() => document.querySelector<HTMLElement>(`#${idPrefix}-form [aria-invalid="true"]`)?.focus());
      return;
    }
    setErrors({});
    if (needsConfirmation(tool.annotations)) setConfirming(built.args);
    else void run(built.args);
  }

  const progress = running?.progress;
  const badges = annotationBadges(tool.annotations);
  const destructive = badges.some((b) => b.label === 'destructive' || b.label === 'no annotations');
  return h(
    'section',
    { class: 'tool-panel', 'aria-labelledby': `${idPrefix}-title` },
    h('h3', { id: `${idPrefix}-title`, tabIndex: -1, class: 'panel-title' }, title, tool.title || tool.annotations?.title ? h('code', { class: 'tool-name' }, tool.name) : null),
    h('ul', { class: 'badges', 'aria-label': 'What the tool declares' }, badges.map((b) => h('li', { key: b.label, class: `badge badge-${b.tone}`, title: b.title }, b.label))),
    tool.description ? h(Markdown, { text: tool.description, class: 'description' }) : null,
    h(
      'form',
      { id: `${idPrefix}-form`, onSubmit: (event: Event) => (event.preventDefault(), start()), noValidate: true },
      takesNoArguments(schema)
        ? h('p', { class: 'no-arguments' }, 'This tool takes no arguments.')
        : h(SchemaField, { schema, name: 'Arguments', draft, required: true, path: '', idPrefix, errors, onChange: setDraft }),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'submit', disabled: running !== null || confirming !== null }, running ? 'Calling…' : `Call ${tool.name}`),
        running ? h('button', { type: 'button', class: 'danger', onClick: () => running.controller.abort() }, 'Cancel') : null,
      ),
    ),
    confirming
      ? h(
          'div',
          { class: `confirm ${destructive ? 'confirm-destructive' : ''}`, role: 'alertdialog', 'aria-labelledby': `${idPrefix}-confirm-title`, 'aria-describedby': `${idPrefix}-confirm-text`, tabIndex: -1, ref: confirmRef },
          h('h4', { id: `${idPrefix}-confirm-title` }, `Call ${tool.name} on ${props.server}?`),
          h(
            'p',
            { id: `${idPrefix}-confirm-text` },
            destructive ? 'This tool may delete or overwrite data' : 'This tool may change data',
            tool.annotations?.openWorldHint !== false ? ' in systems outside this server' : '',
            '. It will run with these arguments:',
          ),
          h('pre', { class: 'confirm-args' }, JSON.stringify(confirming, null, 2)),
          h(
            'div',
            { class: 'actions' },
            h('button', { type: 'button', class: destructive ? 'danger' : '', onClick: () => void run(confirming) }, `Yes, call ${tool.name}`),
            h('button', { type: 'button', class: 'secondary', onClick: () => setConfirming(null) }, "Don't call"),
          ),
        )
      : null,
    running
      ? h(
          'div',
          { class: 'progress', role: 'status', 'aria-live': 'polite' },
          progress
            ? [
                h('progress', { max: progress.total ?? undefined, value: progress.progress, 'aria-label': `Progress of ${tool.name}` }),
                h('span', null, progress.message ?? `${progress.progress}${progress.total ? ` of ${progress.total}` : ''}`),
              ]
            : h('span', null, 'Waiting for the server…'),
        )
      : null,
    last
      ? h(
          'div',
          { class: 'outcome' },
          h('h4', { ref: resultRef, tabIndex: -1 }, 'Result'),
          h(ResultView, { outcome: last.outcome, onOpenResource: props.onOpenResource, ...(last.outcome.kind === 'failure' ? { onRetry: () => (needsConfirmation(tool.annotations) ? setConfirming(last.args) : void run(last.args)) } : {}) }),
          h(
            'div',
            { class: 'row toolbar' },
            last.outcome.kind === 'result' ? h(CopyButton, { label: 'Copy result', text: () => JSON.stringify((last.outcome as { result: ToolResult }).result.structuredContent ?? (last.outcome as { result: ToolResult }).result, null, 2) }) : null,
            h(CopyButton, { label: 'Copy arguments', text: () => JSON.stringify(last.args, null, 2) }),
            h(CopyButton, { label: 'Copy as curl', text: () => curlOf(props.gatewayUrl, tool.name, last.args) }),
            last.exchange ? h('button', { type: 'button', class: 'secondary small', 'aria-expanded': showRaw ? 'true' : 'false', onClick: () => setShowRaw(!showRaw) }, showRaw ? 'Hide JSON-RPC' : 'Show JSON-RPC') : null,
          ),
          showRaw && last.exchange ? h(RawExchange, { exchange: last.exchange }) : null,
        )
      : null,
  );
}
