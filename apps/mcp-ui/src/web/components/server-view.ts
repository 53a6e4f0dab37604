import { h, type VNode } from 'preact';
/** A rendered element (any props). */
type Html = VNode<any>;
import { useEffect, useState } from 'preact/hooks';
import type { Client } from '@modelcontextprotocol/client';
import { connectToServer, describeMcpError } from '../mcp-connection.ts';
import type { ContentBlock } from '../content.ts';
import { ContentBlockView } from './result-view.ts';
import { ToolPanel, type HistoryEntry, type ToolInfo } from './tool-panel.ts';

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
  serverVersion?: string;
}

type Tab = 'tools' | 'resources' | 'prompts';

/** Lists everything when the server supports it; a server without a capability just shows none. */
async function loadListing(client: Client): Promise<Listing> {
  const caps = client.getServerCapabilities() ?? {};
  const [tools, resources, templates, prompts] = await Promise.all([
    caps.tools ? client.listTools().then((r) => r.tools as ToolInfo[]) : Promise.resolve([]),
    caps.resources ? client.listResources().then((r) => r.resources as ResourceInfo[]) : Promise.resolve([]),
    caps.resources ? client.listResourceTemplates().then((r) => r.resourceTemplates as TemplateInfo[]).catch(() => []) : Promise.resolve([]),
    caps.prompts ? client.listPrompts().then((r) => r.prompts as PromptInfo[]) : Promise.resolve([]),
  ]);
  const version = client.getServerVersion()?.version;
  return { tools, resources, templates, prompts, ...(version ? { serverVersion: version } : {}) };
}

function ResourceContents({ client, uri, onSignedOut }: { client: Client; uri: string; onSignedOut: () => void }): Html {
  const [state, setState] = useState<{ blocks?: ContentBlock[]; error?: string }>({});
  useEffect(() => {
    let live = true;
    client
      .readResource({ uri })
      .then((r) => live && setState({ blocks: (r.contents as { uri: string; mimeType?: string; text?: string; blob?: string }[]).map((c) => ({ type: 'resource', resource: c })) }))
      .catch((error: unknown) => {
        const described = describeMcpError(error);
        if (described.signedOut) onSignedOut();
        if (live) setState({ error: described.message });
      });
    return () => {
      live = false;
    };
  }, [uri]);
  if (state.error) return h('p', { class: 'result result-error', role: 'alert' }, state.error);
  if (!state.blocks) return h('p', { role: 'status' }, 'Reading…');
  return h('div', { class: 'result result-ok' }, state.blocks.map((b, i) => h(ContentBlockView, { key: i, block: b })));
}

function PromptPanel({ client, prompt, onSignedOut }: { client: Client; prompt: PromptInfo; onSignedOut: () => void }): Html {
  const [values, setValues] = useState<Record<string, string>>({});
  const [result, setResult] = useState<{ messages?: { role: string; content: ContentBlock }[]; error?: string } | null>(null);
  const [missing, setMissing] = useState<string[]>([]);
  const prefix = `prompt-${prompt.name}`.replace(/[^A-Za-z0-9_-]/g, '_');
  async function submit(event: Event) {
    event.preventDefault();
    const absent = (prompt.arguments ?? []).filter((a) => a.required && !values[a.name]?.trim()).map((a) => a.name);
    setMissing(absent);
    if (absent.length) return;
    const args = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ''));
    try {
      const r = await client.getPrompt({ name: prompt.name, arguments: args });
      setResult({ messages: r.messages as { role: string; content: ContentBlock }[] });
    } catch (error) {
      const described = describeMcpError(error);
      if (described.signedOut) onSignedOut();
      setResult({ error: described.message });
    }
  }
  return h(
    'section',
    { class: 'tool-panel' },
    h('h3', null, prompt.title ?? prompt.name),
    prompt.description ? h('p', { class: 'description' }, prompt.description) : null,
    h(
      'form',
      { onSubmit: submit, noValidate: true },
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
    result?.error ? h('p', { class: 'result result-error', role: 'alert' }, result.error) : null,
    result?.messages
      ? h('ol', { class: 'messages' }, result.messages.map((m, i) => h('li', { key: i }, h('span', { class: 'badge' }, m.role), h(ContentBlockView, { block: m.content }))))
      : null,
  );
}

/** One server: connects through the pass-through, then shows its tools, resources and prompts. */
export function ServerView(props: { name: string; csrfToken: string; onHistory: (entry: HistoryEntry) => void; onSignedOut: () => void; rerun?: HistoryEntry | null }): Html {
  const [client, setClient] = useState<Client | null>(null);
  const [listing, setListing] = useState<Listing | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>('tools');
  const [selected, setSelected] = useState<string | null>(null);
  const [openResource, setOpenResource] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    let connected: Client | null = null;
    setListing(null);
    setError(null);
    connectToServer(props.name, props.csrfToken)
      .then(async (c) => {
        connected = c;
        const l = await loadListing(c);
        if (!live) return;
        setClient(c);
        setListing(l);
      })
      .catch((e: unknown) => {
        const described = describeMcpError(e);
        if (described.signedOut) props.onSignedOut();
        if (live) setError(described.message);
      });
    return () => {
      live = false;
      void connected?.close();
    };
  }, [props.name]);

  useEffect(() => {
    if (props.rerun && props.rerun.server === props.name) {
      setTab('tools');
      setSelected(props.rerun.tool);
    }
  }, [props.rerun]);

  const openUri = (uri: string) => {
    setTab('resources');
    setOpenResource(uri);
  };

  if (error) return h('section', { class: 'server' }, h('h2', null, props.name), h('p', { class: 'result result-error', role: 'alert' }, `Could not connect: ${error}`));
  if (!listing || !client) return h('section', { class: 'server' }, h('h2', null, props.name), h('p', { role: 'status' }, 'Connecting…'));

  const tabs: [Tab, string, number][] = [
    ['tools', 'Tools', listing.tools.length],
    ['resources', 'Resources', listing.resources.length + listing.templates.length],
    ['prompts', 'Prompts', listing.prompts.length],
  ];
  const tool = listing.tools.find((t) => t.name === selected);
  const prompt = listing.prompts.find((p) => p.name === selected);
  return h(
    'section',
    { class: 'server', 'aria-labelledby': 'server-title' },
    h('h2', { id: 'server-title' }, props.name, listing.serverVersion ? h('span', { class: 'muted' }, ` v${listing.serverVersion}`) : null),
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
          h('ul', { class: 'item-list', 'aria-label': 'Tools' }, listing.tools.map((t) =>
            h('li', { key: t.name }, h('button', { type: 'button', class: 'item', 'aria-current': selected === t.name ? 'true' : undefined, onClick: () => setSelected(t.name) }, h('strong', null, t.title ?? t.name), h('span', { class: 'muted' }, t.description ?? ''))),
          )),
          tool
            ? h(ToolPanel, {
                key: `${tool.name}-${props.rerun?.id ?? 0}`,
                server: props.name,
                tool,
                client,
                ...(props.rerun && props.rerun.tool === tool.name ? { initialArgs: props.rerun.args } : {}),
                onHistory: props.onHistory,
                onSignedOut: props.onSignedOut,
                onOpenResource: openUri,
              })
            : h('p', { class: 'muted' }, listing.tools.length ? 'Choose a tool.' : 'This server has no tools.'),
        )
      : null,
    tab === 'resources'
      ? h(
          'div',
          { class: 'split' },
          h('ul', { class: 'item-list', 'aria-label': 'Resources' },
            listing.resources.map((r) =>
              h('li', { key: r.uri }, h('button', { type: 'button', class: 'item', 'aria-current': openResource === r.uri ? 'true' : undefined, onClick: () => setOpenResource(r.uri) }, h('strong', null, r.title ?? r.name ?? r.uri), h('code', { class: 'uri' }, r.uri), h('span', { class: 'muted' }, r.description ?? ''))),
            ),
            listing.templates.map((t) => h('li', { key: t.uriTemplate, class: 'template' }, h('strong', null, t.name ?? 'Template'), h('code', { class: 'uri' }, t.uriTemplate), h('span', { class: 'muted' }, t.description ?? ''))),
          ),
          openResource ? h('div', null, h('h3', null, 'Contents of ', h('code', null, openResource)), h(ResourceContents, { key: openResource, client, uri: openResource, onSignedOut: props.onSignedOut })) : h('p', { class: 'muted' }, 'Choose a resource to read.'),
        )
      : null,
    tab === 'prompts'
      ? h(
          'div',
          { class: 'split' },
          h('ul', { class: 'item-list', 'aria-label': 'Prompts' }, listing.prompts.map((p) =>
            h('li', { key: p.name }, h('button', { type: 'button', class: 'item', 'aria-current': selected === p.name ? 'true' : undefined, onClick: () => setSelected(p.name) }, h('strong', null, p.title ?? p.name), h('span', { class: 'muted' }, p.description ?? ''))),
          )),
          prompt ? h(PromptPanel, { key: prompt.name, client, prompt, onSignedOut: props.onSignedOut }) : h('p', { class: 'muted' }, listing.prompts.length ? 'Choose a prompt.' : 'This server has no prompts.'),
        )
      : null,
  );
}
