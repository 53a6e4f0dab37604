import { h, type VNode } from 'preact';
/** A rendered element (any props). */
type Html = VNode<any>;
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Client } from '@modelcontextprotocol/client';
import { describeMcpError } from '../mcp-connection.ts';
import { buildArguments, draftOf, initialDraft, takesNoArguments, type Draft, type FieldErrors, type JsonSchema } from '../schema-form/model.ts';
import { ResultView, type CallOutcome, type ToolResult } from './result-view.ts';
import { SchemaField } from './schema-field.ts';

/** A tool as tools/list describes it. */
export interface ToolInfo {
  name: string;
  title?: string;
  description?: string;
  inputSchema?: JsonSchema;
  annotations?: { title?: string; readOnlyHint?: boolean; destructiveHint?: boolean };
}

/** One call of this session, for the history. */
export interface HistoryEntry {
  id: number;
  server: string;
  tool: string;
  args: Record<string, unknown>;
  startedAt: Date;
  durationMs?: number;
  outcome?: CallOutcome;
}

interface Progress {
  progress: number;
  total?: number;
  message?: string;
}

let nextCallId = 1;

/** The generated form of a tool, the call with progress and Cancel, and its result. */
export function ToolPanel(props: {
  server: string;
  tool: ToolInfo;
  client: Client;
  initialArgs?: Record<string, unknown>;
  onHistory: (entry: HistoryEntry) => void;
  onSignedOut: () => void;
  onOpenResource: (uri: string) => void;
}): Html {
  const { tool } = props;
  const schema: JsonSchema = tool.inputSchema ?? { type: 'object', properties: {} };
  const [draft, setDraft] = useState<Draft>(() => (props.initialArgs ? draftOf(schema, props.initialArgs) : initialDraft(schema)));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [running, setRunning] = useState<{ controller: AbortController; progress?: Progress } | null>(null);
  const [outcome, setOutcome] = useState<CallOutcome | null>(null);
  const resultRef = useRef<HTMLHeadingElement>(null);
  const idPrefix = `tool-${props.server}-${tool.name}`.replace(/[^A-Za-z0-9_-]/g, '_');

  useEffect(() => () => running?.controller.abort(), []);

  async function submit(event: Event) {
    event.preventDefault();
    const built = buildArguments(schema, draft);
    if (!built.ok) {
      setErrors(built.errors);
      // Move focus to the first invalid field so keyboard and screen reader users land on the problem.
      requestAnimationFrame(() => document.querySelector<HTMLElement>(`#${idPrefix}-form [aria-invalid="true"]`)?.focus());
      return;
    }
    setErrors({});
    const controller = new AbortController();
    const entry: HistoryEntry = { id: nextCallId++, server: props.server, tool: tool.name, args: built.args, startedAt: new Date() };
    setRunning({ controller });
    setOutcome(null);
    props.onHistory({ ...entry });
    let result: CallOutcome;
    try {
      const response = (await props.client.callTool(
        { name: tool.name, arguments: built.args },
        {
          signal: controller.signal,
          resetTimeoutOnProgress: true,
          timeout: 120_000,
          onprogress: (p: Progress) => setRunning((current) => (current ? { ...current, progress: { progress: p.progress, ...(p.total !== undefined ? { total: p.total } : {}), ...(p.message ? { message: p.message } : {}) } } : current)),
        },
      )) as ToolResult;
      result = { kind: 'result', result: response };
    } catch (error) {
      const described = describeMcpError(error);
      if (described.signedOut) props.onSignedOut();
      result = controller.signal.aborted ? { kind: 'cancelled' } : { kind: 'failure', message: described.message, ...(described.code !== undefined ? { code: described.code } : {}) };
    }
    setRunning(null);
    setOutcome(result);
    props.onHistory({ ...entry, durationMs: Date.now() - entry.startedAt.getTime(), outcome: result });
    requestAnimationFrame(() => resultRef.current?.focus());
  }

  const progress = running?.progress;
  return h(
    'section',
    { class: 'tool-panel', 'aria-labelledby': `${idPrefix}-title` },
    h('h3', { id: `${idPrefix}-title` }, tool.title ?? tool.annotations?.title ?? tool.name, tool.title ? h('code', { class: 'tool-name' }, tool.name) : null),
    tool.description ? h('p', { class: 'description' }, tool.description) : null,
    h(
      'form',
      { id: `${idPrefix}-form`, onSubmit: submit, noValidate: true },
      takesNoArguments(schema)
        ? h('p', { class: 'no-arguments' }, 'This tool takes no arguments.')
        : h(SchemaField, { schema, name: 'Arguments', draft, required: true, path: '', idPrefix, errors, onChange: setDraft }),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'submit', disabled: running !== null }, running ? 'Calling…' : `Call ${tool.name}`),
        running ? h('button', { type: 'button', class: 'danger', onClick: () => running.controller.abort() }, 'Cancel') : null,
      ),
    ),
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
    outcome
      ? h('div', { class: 'outcome' }, h('h4', { ref: resultRef, tabIndex: -1 }, 'Result'), h(ResultView, { outcome, onOpenResource: props.onOpenResource }))
      : null,
  );
}
