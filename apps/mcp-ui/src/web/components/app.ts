import { h, type VNode } from 'preact';
/** A rendered element (any props). */
type Html = VNode<any>;
import { useEffect, useState } from 'preact/hooks';
import { fetchCatalog, fetchMe, loginUrl, SignedOutError, type CatalogServer, type Me } from '../api.ts';
import { CatalogView } from './catalog.ts';
import { HistoryView } from './history.ts';
import { ServerView } from './server-view.ts';
import type { HistoryEntry } from './tool-panel.ts';

/** The server named in the location hash (#mcp-example), if any. */
function serverFromHash(): string | null {
  const name = decodeURIComponent(location.hash.slice(1));
  return /^[a-z0-9-]{1,63}$/.test(name) ? name : null;
}

function Header({ me }: { me: Me | null | undefined }): Html {
  return h(
    'header',
    { class: 'top' },
    h('a', { class: 'brand', href: '#' }, 'MCP servers'),
    me
      ? h(
          'div',
          { class: 'who' },
          h('span', null, 'Signed in as ', h('strong', null, me.name), me.email && me.email !== me.name ? h('span', { class: 'muted' }, ` (${me.email})`) : null),
          h('form', { method: 'post', action: '/auth/logout' }, h('input', { type: 'hidden', name: 'csrf', value: me.csrfToken }), h('button', { type: 'submit', class: 'secondary' }, 'Sign out')),
        )
      : null,
  );
}

/** The page: who is signed in, the catalog, a server's tools/resources/prompts, and the call history. */
export function App(): Html {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [failure, setFailure] = useState<string | null>(null);
  const [servers, setServers] = useState<CatalogServer[] | null>(null);
  const [current, setCurrent] = useState<string | null>(serverFromHash());
  const [history, setHistory] = useState<HistoryEntry[]>([]);
  const [rerun, setRerun] = useState<HistoryEntry | null>(null);

  const loadCatalog = () => {
    setServers(null);
    fetchCatalog()
      .then(setServers)
      .catch((error: unknown) => (error instanceof SignedOutError ? setMe(null) : setFailure((error as Error).message)));
  };

  useEffect(() => {
    fetchMe()
      .then((who) => {
        setMe(who);
        if (who) loadCatalog();
      })
      .catch((error: unknown) => setFailure((error as Error).message));
    const onHash = () => setCurrent(serverFromHash());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);

  const recordCall = (entry: HistoryEntry) => setHistory((list) => [entry, ...list.filter((e) => e.id !== entry.id)]);

  let body: Html;
  if (failure) body = h('p', { class: 'result result-error', role: 'alert' }, `Something went wrong: ${failure}`);
  else if (me === undefined) body = h('p', { role: 'status' }, 'Loading…');
  else if (me === null) {
    body = h(
      'section',
      { class: 'signin' },
      h('h1', null, 'MCP servers'),
      h('p', null, 'Sign in with your organization account to see the MCP servers and use their tools.'),
      h('a', { class: 'button', href: loginUrl() }, 'Sign in'),
    );
  } else {
    body = h(
      'div',
      { class: 'layout' },
      current
        ? h(
            'div',
            null,
            h('p', null, h('a', { href: '#' }, '← All servers')),
            h(ServerView, { key: current, name: current, csrfToken: me.csrfToken, onHistory: recordCall, onSignedOut: () => setMe(null), rerun }),
          )
        : h(CatalogView, { servers, onOpen: (name: string) => (location.hash = name), onRefresh: loadCatalog }),
      h(HistoryView, {
        entries: history,
        onRerun: (entry: HistoryEntry) => {
          setRerun(entry);
          location.hash = entry.server;
        },
      }),
    );
  }
  return h('div', { class: 'page' }, h(Header, { me }), h('main', { id: 'main' }, body));
}
