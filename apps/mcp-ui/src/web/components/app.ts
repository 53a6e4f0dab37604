import { h, type VNode } from 'preact';
/** A rendered element (any props). */
type Html = VNode<any>;
import { useEffect, useState } from 'preact/hooks';
import { fetchCatalog, fetchCatalogServer, fetchMe, loginUrl, SignedOutError, type CatalogServer, type Me } from '../api.ts';
import { loadHistory, saveHistory, withEntry, type HistoryEntry } from '../history-store.ts';
import { CatalogView } from './catalog.ts';
import { ErrorMessage } from './error-message.ts';
import { HistoryView } from './history.ts';
import { ServerView, type Rerun } from './server-view.ts';

/** The server named in the location hash (#mcp-example), if any. */
function serverFromHash(): string | null {
  const name = decodeURIComponent(location.hash.slice(1));
  return /^[a-z0-9-]{1,63}$/.test(name) ? name : null;
}

/** Brings the history into view and focus (on a narrow screen it is below everything else). */
function showHistory() {
  const title = document.getElementById('history-title');
  title?.scrollIntoView({ block: 'start' });
  title?.focus({ preventScroll: true });
}

function Header({ me, historyCount }: { me: Me | null | undefined; historyCount: number }): Html {
  return h(
    'header',
    { class: 'top' },
    h('a', { class: 'brand', href: '#' }, h('img', { src: new URL('../favicon.svg', import.meta.url).href, alt: '', width: 24, height: 24 }), 'MCP servers'),
    me
      ? h(
          'div',
          { class: 'who' },
          h('button', { type: 'button', class: 'secondary small', onClick: showHistory }, `History (${historyCount})`),
          h('span', null, 'Signed in as ', h('strong', null, me.name), me.email && me.email !== me.name ? h('span', { class: 'muted' }, ` (${me.email})`) : null),
          h('form', { method: 'post', action: '/auth/logout' }, h('input', { type: 'hidden', name: 'csrf', value: me.csrfToken }), h('button', { type: 'submit', class: 'secondary' }, 'Sign out')),
        )
      : null,
  );
}

/** The page: who is signed in, the catalog, a server's tools/resources/prompts, and the history. */
export function App(): Html {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [failure, setFailure] = useState<string | null>(null);
  const [servers, setServers] = useState<CatalogServer[] | null>(null);
  const [current, setCurrent] = useState<string | null>(serverFromHash());
  const [history, setHistory] = useState<HistoryEntry[]>([]);
  const [rerun, setRerun] = useState<Rerun | null>(null);

  const loadCatalog = () => {
    setServers(null);
    fetchCatalog()
      .then(setServers)
      .catch((error: unknown) => (error instanceof SignedOutError ? setMe(null) : setFailure((error as Error).message)));
  };
  const recheck = (name: string) =>
    fetchCatalogServer(name)
      .then((fresh) => setServers((list) => (list ? list.map((s) => (s.name === name ? fresh : s)) : [fresh])))
      .catch((error: unknown) => error instanceof SignedOutError && setMe(null));

  useEffect(() => {
    fetchMe()
      .then((who) => {
        setMe(who);
        if (who) {
          setHistory(loadHistory(localStorage, who.userKey));
          loadCatalog();
        }
      })
      .catch((error: unknown) => setFailure((error as Error).message));
    const onHash = () => setCurrent(serverFromHash());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);

  useEffect(() => {
    if (me) saveHistory(localStorage, me.userKey, history);
  }, [history]);

  const record = (entry: HistoryEntry) => setHistory((list) => withEntry(list, entry));

  let body: Html;
  if (failure) body = h(ErrorMessage, { message: 'The page could not load what it needs from its server.', detail: failure, onRetry: () => location.reload(), retryLabel: 'Reload' });
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
            h(ServerView, {
              key: current,
              name: current,
              entry: servers?.find((s) => s.name === current),
              csrfToken: me.csrfToken,
              onHistory: record,
              onSignedOut: () => setMe(null),
              onRecheck: () => void recheck(current),
              rerun,
            }),
          )
        : h(CatalogView, { servers, onOpen: (name: string) => (location.hash = name), onRefresh: loadCatalog }),
      h(HistoryView, {
        entries: history,
        onRerun: (entry: HistoryEntry) => {
          setRerun({ entry, nonce: Date.now() });
          location.hash = entry.server;
          requestAnimationFrame(() => scrollTo({ top: 0 }));
        },
        onClear: () => setHistory([]),
      }),
    );
  }
  return h('div', { class: 'page' }, h(Header, { me, historyCount: history.length }), h('main', { id: 'main' }, body));
}
