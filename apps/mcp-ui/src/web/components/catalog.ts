import { h, type VNode } from 'preact';
/** A rendered element (any props). */
type Html = VNode<any>;
import type { CatalogServer } from '../api.ts';

const STATUS_TEXT: Record<CatalogServer['status'], string> = { up: 'answers', down: 'not answering', unauthorized: 'refused your sign-in' };

/** The servers of the catalog, each with its description and whether it answers. */
export function CatalogView({ servers, onOpen, onRefresh }: { servers: CatalogServer[] | null; onOpen: (name: string) => void; onRefresh: () => void }): Html {
  return h(
    'section',
    { class: 'catalog', 'aria-labelledby': 'catalog-title' },
    h('div', { class: 'row' }, h('h2', { id: 'catalog-title' }, 'Servers'), h('button', { type: 'button', class: 'secondary', onClick: onRefresh }, 'Check again')),
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
                { key: s.name, class: 'card' },
                h('h3', null, s.name, s.serverInfo?.version ? h('span', { class: 'muted' }, ` v${s.serverInfo.version}`) : null),
                h('p', null, s.description),
                h('p', { class: `status status-${s.status}` }, h('span', { class: 'dot', 'aria-hidden': 'true' }), STATUS_TEXT[s.status], s.detail ? ` (${s.detail})` : ''),
                // The gateway refuses a caller no grant admits (403): say what would open the server.
                s.status === 'unauthorized' && s.access ? h('p', { class: 'muted' }, `Opens with ${s.access}.`) : null,
                h('button', { type: 'button', onClick: () => onOpen(s.name), 'aria-label': `Open ${s.name}` }, 'Open'),
              ),
            ),
          ),
  );
}
