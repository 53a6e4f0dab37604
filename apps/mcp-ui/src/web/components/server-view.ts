import { h, type VNode } from 'preact';
/** A rendered element (any props). */
type Html = VNode<any>;
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Client } from '@modelcontextprotocol/client';
import type { CatalogServer } from '../api.ts';
import { newEntryId, type HistoryEntry } from '../history-store.ts';
import { connectToServer, describeMcpError, type Connection } from '../mcp-connection.ts';
import type { ContentBlock } from '../content.ts';
import { HealthLine, VersionText } from './catalog.ts';
import { ErrorMessage } from './error-message.ts';
import { Markdown } from './markdown.ts';
import { ContentBlockView, ResultView, type CallOutcome } from './result-view.ts';
import { ToolPanel, type ToolInfo } from './tool-panel.ts';

interface ResourceInfo {
  uri: string;
  name?: string;
  title?: string;
  description?: string;
  mimeType?: string;
}
interface TemplateInfo {
  uriTemplate: string;
  name?: string;
  description?: string;
}
interface PromptInfo {
  name: string;
  title?: string;
  description?: string;
  arguments?: { name: string; description?: string; required?: boolean }[];
}
interface Listing {
  tools: ToolInfo[];
  resources: ResourceInfo[];
  templates: TemplateInfo[];
  prompts: PromptInfo[];
  instructions?: string;
}

type Tab = 'tools' | 'resources' | 'prompts';

/** What the history asks the server page to do again. */
export interface Rerun {
  entry: HistoryEntry;
  /** Changes on every request, so the same entry can be run twice. */
  nonce: number;
}

/** Lists everything when the server supports it; a server without a capability just shows none. */
async function loadListing(client: Client): Promise<Listing> {
  const caps = client.getServerCapabilities() ?? {};
  const [tools, resources, templates, prompts] = await Promise.all([
    caps.tools ? client.listTools().then((r) => r.tools as ToolInfo[]) : Promise.resolve([]),
    caps.resources ? client.listResources().then((r) => r.resources as ResourceInfo[]) : Promise.resolve([]),
    caps.resources ? client.listResourceTemplates().then((r) => r.resourceTemplates as TemplateInfo[]).catch(() => []) : Promise.resolve([]),
    caps.prompts ? client.listPrompts().then((r) => r.prompts as PromptInfo[]) : Promise.resolve([]),
  ]);
  const instructions = client.getInstructions();
  return { tools, resources, templates, prompts, ...(instructions ? { instructions } : {}) };
}

/** Runs a prompt get or resource read and records it in the history like a tool call. */
async function recorded(
  kind: 'prompt' | 'resource',
  server: string,
  name: string,
  args: Record<string, unknown>,
  onHistory: (entry: HistoryEntry) => void,
  onSignedOut: () => void,
  work: () => Promise<ContentBlock[]>,
): Promise<CallOutcome> {
  const entry: HistoryEntry = { id: newEntryId(), kind, server, name, args, startedAt: new Date().toISOString() };
  onHistory(entry);
  let outcome: CallOutcome;
  try {
    outcome = { kind: 'result', result: { content: await work() } };
  } catch (error) {
    const described = describeMcpError(error, server);
    if (described.signedOut) onSignedOut();
    outcome = { kind: 'failure', message: described.message, ...(described.detail ? { detail: described.detail } : {}) };
  }
  onHistory({ ...entry, durationMs: Date.now() - Date.parse(entry.startedAt), outcome });
  return outcome;
}

function ResourceContents(props: { client: Client; server: string; uri: string; onHistory: (entry: HistoryEntry) => void; onSignedOut: () => void }): Html {
  const [outcome, setOutcome] = useState<CallOutcome | null>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    setOutcome(null);
    void recorded('resource', props.server, props.uri, {}, props.onHistory, props.onSignedOut, async () => {
      const r = await props.client.readResource({ uri: props.uri });
      return (r.contents as { uri: string; mimeType?: string; text?: string; blob?: string }[]).map((c) => ({ type: 'resource', resource: c }));
    }).then((o) => live && setOutcome(o));
    return () => {
      live = false;
    };
  }, [props.uri, attempt]);
  if (!outcome) return h('p', { role: 'status' }, 'Reading…');
  return h(ResultView, { outcome, onRetry: () => setAttempt(attempt + 1) });
}

function PromptPanel(props: { client: Client; server: string; prompt: PromptInfo; initialArgs?: Record<string, unknown>; autoRun?: boolean; onHistory: (entry: HistoryEntry) => void; onSignedOut: () => void }): Html {
  const { prompt } = props;
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(Object.entries(props.initialArgs ?? {}).map(([k, v]) => [k, String(v)])));
  const [result, setResult] = useState<{ messages?: { role: string; content: ContentBlock }[]; outcome?: CallOutcome } | null>(null);
  const [missing, setMissing] = useState<string[]>([]);
  const prefix = `prompt-${prompt.name}`.replace(/[^A-Za-z0-9_-]/g, '_');
  async function get() {
    const absent = (prompt.arguments ?? []).filter((a) => a.required && !values[a.name]?.trim()).map((a) => a.name);
    setMissing(absent);
    if (absent.length) return;
    const args = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ''));
    let messages: { role: string; content: ContentBlock }[] | undefined;
    const outcome = await recorded('prompt', props.server, prompt.name, args, props.onHistory, props.onSignedOut, async () => {
      const r = await props.client.getPrompt({ name: prompt.name, arguments: args });
      messages = r.messages as { role: string; content: ContentBlock }[];
      return messages.map((m) => m.content);
    });
    setResult(messages ? { messages } : { outcome });
  }
  useEffect(() => {
    if (props.autoRun) void get();
  }, []);
  return h(
    'section',
    { class: 'tool-panel' },
    h('h3', { class: 'panel-title', tabIndex: -1 }, prompt.title ?? prompt.name),
    prompt.description ? h(Markdown, { text: prompt.description, class: 'description' }) : null,
    h(
      'form',
      { onSubmit: (event: Event) => (event.preventDefault(), void get()), noValidate: true },
      (prompt.arguments ?? []).map((arg) =>
        h(
          'div',
          { class: `field${missing.includes(arg.name) ? ' field-invalid' : ''}`, key: arg.name },
          h('label', { for: `${prefix}-${arg.name}` }, arg.name, arg.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
          arg.description ? h('p', { class: 'hint', id: `${prefix}-${arg.name}-desc` }, arg.description) : null,
          h('input', {
            id: `${prefix}-${arg.name}`,
            value: values[arg.name] ?? '',
            'aria-invalid': missing.includes(arg.name) ? 'true' : undefined,
            'aria-describedby': arg.description ? `${prefix}-${arg.name}-desc` : undefined,
            onInput: (e: Event) => setValues({ ...values, [arg.name]: (e.currentTarget as HTMLInputElement).value }),
          }),
          missing.includes(arg.name) ? h('p', { class: 'error' }, 'Required') : null,
        ),
      ),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Get prompt')),
    ),
    result?.outcome ? h(ResultView, { outcome: result.outcome, onRetry: () => void get() }) : null,
    result?.messages
      ? h('ol', { class: 'messages' }, result.messages.map((m, i) => h('li', { key: i }, h('span', { class: 'badge' }, m.role), h(ContentBlockView, { block: m.content }))))
      : null,
  );
}

/** Scrolls a newly shown panel into view (on a narrow screen it is below the list) and moves focus to its title. */
function useRevealOnChange(selected: string | null) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!selected || !ref.current) return;
    const narrow = matchMedia('(max-width: 640px)').matches;
    ref.current.scrollIntoView({ block: narrow ? 'start' : 'nearest' });
    ref.current.querySelector<HTMLElement>('.panel-title')?.focus({ preventScroll: true });
  }, [selected]);
  return ref;
}

/** One server: its state, instructions, then its tools, resources and prompts through the pass-through. */
export function ServerView(props: {
  name: string;
  entry: CatalogServer | undefined;
  csrfToken: string;
  onHistory: (entry: HistoryEntry) => void;
  onSignedOut: () => void;
  onRecheck: () => void;
  rerun?: Rerun | null;
}): Html {
  const [connection, setConnection] = useState<Connection | null>(null);
  const [listing, setListing] = useState<Listing | null>(null);
  const [error, setError] = useState<{ message: string; detail?: string } | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [tab, setTab] = useState<Tab>('tools');
  const [selected, setSelected] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const [openResource, setOpenResource] = useState<string | null>(null);
  const panelRef = useRevealOnChange(selected ?? openResource);
  const rerun = props.rerun && props.rerun.entry.server === props.name ? props.rerun : null;

  useEffect(() => {
    let live = true;
    let connected: Connection | null = null;
    setListing(null);
    setError(null);
    connectToServer(props.name, props.csrfToken)
      .then(async (c) => {
        connected = c;
        const l = await loadListing(c.client);
        if (!live) return;
        setConnection(c);
        setListing(l);
      })
      .catch((e: unknown) => {
        const described = describeMcpError(e, props.name);
        if (described.signedOut) props.onSignedOut();
        if (live) setError({ message: `Could not connect: ${described.message}`, ...(described.detail ? { detail: described.detail } : {}) });
      });
    return () => {
      live = false;
      void connected?.client.close();
    };
  }, [props.name, attempt]);

  useEffect(() => {
    if (!rerun) return;
    if (rerun.entry.kind === 'resource') {
      setTab('resources');
      setOpenResource(rerun.entry.name);
    } else {
      setTab(rerun.entry.kind === 'prompt' ? 'prompts' : 'tools');
      setSelected(rerun.entry.name);
    }
  }, [rerun?.nonce]);

  const retry = () => {
    props.onRecheck();
    setAttempt(attempt + 1);
  };
  const heading = h(
    'div',
    { class: 'server-head' },
    h('h1', { id: 'server-title' }, props.name, props.entry ? h(VersionText, { server: props.entry }) : null),
    props.entry ? h(Markdown, { text: props.entry.description, class: 'description' }) : null,
    props.entry && props.entry.health.state !== 'ready' ? h(HealthLine, { health: props.entry.health }) : null,
  );
  if (error) return h('section', { class: 'server' }, heading, h(ErrorMessage, { message: error.message, detail: error.detail, onRetry: retry }));
  if (!listing || !connection) return h('section', { class: 'server' }, heading, h('p', { role: 'status' }, 'Connecting…'));

  const tabs: [Tab, string, number][] = [
    ['tools', 'Tools', listing.tools.length],
    ['resources', 'Resources', listing.resources.length + listing.templates.length],
    ['prompts', 'Prompts', listing.prompts.length],
  ];
  const needle = filter.trim().toLowerCase();
  const tools = needle ? listing.tools.filter((t) => [t.name, t.title ?? '', t.description ?? ''].some((text) => text.toLowerCase().includes(needle))) : listing.tools;
  const tool = listing.tools.find((t) => t.name === selected);
  const prompt = listing.prompts.find((p) => p.name === selected);
  const gatewayUrl = new URL(props.entry?.path ?? `/mcp/${props.name}`, location.origin).href;
  const rerunOf = (name: string) => (rerun && rerun.entry.name === name ? { key: `${name}-${rerun.nonce}`, initialArgs: rerun.entry.args, autoRun: true } : { key: name });
  return h(
    'section',
    { class: 'server', 'aria-labelledby': 'server-title' },
    heading,
    h('div', { class: 'row' }, h('button', { type: 'button', class: 'secondary small', onClick: retry }, 'Check again')),
    listing.instructions ? h('details', { class: 'instructions', open: true }, h('summary', null, 'Instructions from the server'), h(Markdown, { text: listing.instructions })) : null,
    h(
      'div',
      { class: 'tabs', role: 'group', 'aria-label': 'What to show' },
      tabs.map(([key, label, count]) =>
        h('button', { key, type: 'button', class: 'tab', 'aria-pressed': tab === key ? 'true' : 'false', onClick: () => {
          setTab(key);
          setSelected(null);
        } }, `${label} (${count})`),
      ),
    ),
    tab === 'tools'
      ? h(
          'div',
          { class: 'split' },
          h(
            'div',
            { class: 'list-column' },
            h('label', { class: 'filter' }, h('span', { class: 'sr-only' }, 'Filter tools'), h('input', { type: 'search', placeholder: 'Filter tools', value: filter, onInput: (e: Event) => setFilter((e.currentTarget as HTMLInputElement).value) })),
            h('ul', { class: 'item-list', 'aria-label': 'Tools' }, tools.map((t) =>
              h('li', { key: t.name }, h('button', { type: 'button', class: 'item', 'aria-current': selected === t.name ? 'true' : undefined, onClick: () => setSelected(t.name) }, h('strong', null, t.title ?? t.annotations?.title ?? t.name), h('span', { class: 'muted' }, firstLine(t.description)))),
            )),
            needle && tools.length === 0 ? h('p', { class: 'muted', role: 'status' }, `No tool matches “${filter}”.`) : null,
          ),
          h(
            'div',
            { ref: panelRef, class: 'panel-column' },
            tool
              ? h(ToolPanel, {
                  ...rerunOf(tool.name),
                  server: props.name,
                  gatewayUrl,
                  tool,
                  connection,
                  onHistory: props.onHistory,
                  onSignedOut: props.onSignedOut,
                  onOpenResource: (uri: string) => {
                    setTab('resources');
                    setOpenResource(uri);
                  },
                })
              : h('p', { class: 'muted' }, listing.tools.length ? 'Choose a tool.' : 'This server has no tools.'),
          ),
        )
      : null,
    tab === 'resources'
      ? h(
          'div',
          { class: 'split' },
          h('ul', { class: 'item-list', 'aria-label': 'Resources' },
            listing.resources.map((r) =>
              h('li', { key: r.uri }, h('button', { type: 'button', class: 'item', 'aria-current': openResource === r.uri ? 'true' : undefined, onClick: () => setOpenResource(r.uri) }, h('strong', null, r.title ?? r.name ?? r.uri), h('code', { class: 'uri' }, r.uri), h('span', { class: 'muted' }, firstLine(r.description)))),
            ),
            listing.templates.map((t) => h('li', { key: t.uriTemplate, class: 'template' }, h('strong', null, t.name ?? 'Template'), h('code', { class: 'uri' }, t.uriTemplate), h('span', { class: 'muted' }, firstLine(t.description)))),
          ),
          h(
            'div',
            { ref: panelRef, class: 'panel-column' },
            openResource
              ? h('div', null, h('h3', { class: 'panel-title', tabIndex: -1 }, 'Contents of ', h('code', null, openResource)), h(ResourceContents, { key: `${openResource}-${rerun?.nonce ?? 0}`, client: connection.client, server: props.name, uri: openResource, onHistory: props.onHistory, onSignedOut: props.onSignedOut }))
              : h('p', { class: 'muted' }, 'Choose a resource to read.'),
          ),
        )
      : null,
    tab === 'prompts'
      ? h(
          'div',
          { class: 'split' },
          h('ul', { class: 'item-list', 'aria-label': 'Prompts' }, listing.prompts.map((p) =>
            h('li', { key: p.name }, h('button', { type: 'button', class: 'item', 'aria-current': selected === p.name ? 'true' : undefined, onClick: () => setSelected(p.name) }, h('strong', null, p.title ?? p.name), h('span', { class: 'muted' }, firstLine(p.description)))),
          )),
          h(
            'div',
            { ref: panelRef, class: 'panel-column' },
            prompt
              ? h(PromptPanel, { ...rerunOf(prompt.name), client: connection.client, server: props.name, prompt, onHistory: props.onHistory, onSignedOut: props.onSignedOut })
              : h('p', { class: 'muted' }, listing.prompts.length ? 'Choose a prompt.' : 'This server has no prompts.'),
          ),
        )
      : null,
  );
}

/** The first line of a description, for lists (the panel shows all of it, as Markdown). */
function firstLine(text: string | undefined): string {
  const line = (text ?? '').split('\n')[0]!.replace(/[*_`#>]/g, '');
  return line.length > 140 ? `${line.slice(0, 139)}…` : line;
}
