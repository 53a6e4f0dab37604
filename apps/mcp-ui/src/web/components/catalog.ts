import { h, type VNode } from 'preact';
/** A rendered element (any props). */
type Html = VNode<any>;
import type { CatalogServer, ServerHealth } from '../api.ts';
import { Markdown } from './markdown.ts';

const STATE_TEXT: Record<ServerHealth['state'], string> = { ready: 'ready', not_ready: 'not ready', not_answering: 'not answering', refused: 'refused' };

/** A server's state as a dot, a word and, when it is not ready, the sentence that says why. */
export function HealthLine({ health }: { health: ServerHealth }): Html {
  return h(
    'div',
    { class: `status status-${health.state}` },
    h('p', { class: 'status-word' }, h('span', { class: 'dot', 'aria-hidden': 'true' }), STATE_TEXT[health.state]),
    health.state === 'ready' ? null : h('p', { class: 'status-message' }, health.message),
    health.detail ? h('details', { class: 'detail' }, h('summary', null, 'Technical detail'), h('pre', null, health.detail)) : null,
  );
}

/** The deployed version, and what the server says when that differs. */
export function VersionText({ server }: { server: CatalogServer }): Html | null {
  const reported = server.health.serverInfo?.version;
  if (!server.version && !reported) return null;
  return h(
    'span',
    { class: 'muted version' },
    server.version ? ` ${/^\d/.test(server.version) ? 'v' : ''}${server.version}` : ` v${reported}`,
    server.version && reported && reported !== server.version ? h('span', { class: 'version-reported' }, ` (reports v${reported})`) : null,
  );
}

/** The servers of the catalog, each with its description, deployed version and whether it is ready. */
export function CatalogView({ servers, onOpen, onRefresh }: { servers: CatalogServer[] | null; onOpen: (name: string) => void; onRefresh: () => void }): Html {
  return h(
    'section',
    { class: 'catalog', 'aria-labelledby': 'catalog-title' },
    h('div', { class: 'row' }, h('h1', { id: 'catalog-title' }, 'MCP servers'), h('button', { type: 'button', class: 'secondary', onClick: onRefresh }, 'Check again')),
    servers === null
      ? h('p', { role: 'status' }, 'Checking the servers…')
      : servers.length === 0
        ? h('p', null, 'The catalog is empty.')
        : h(
            'ul',
            { class: 'cards' },
            servers.map((s) =>
              h(
                'li',
                { key: s.name, class: `card card-${s.health.state}` },
                h('h2', { class: 'card-title' }, s.name, h(VersionText, { server: s })),
                h(Markdown, { text: s.description, class: 'card-description' }),
                h(HealthLine, { health: s.health }),
                h('button', { type: 'button', onClick: () => onOpen(s.name), 'aria-label': `Open ${s.name}` }, 'Open'),
              ),
            ),
          ),
  );
}
