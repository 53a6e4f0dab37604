import { h, type VNode } from 'preact';
/** A rendered element (any props). */
type Html = VNode<any>;
import { useState } from 'preact/hooks';
import type { HistoryEntry } from '../history-store.ts';
import { ResultView } from './result-view.ts';

function statusOf(entry: HistoryEntry): string {
  if (!entry.outcome) return 'running';
  if (entry.outcome.kind === 'cancelled') return 'cancelled';
  if (entry.outcome.kind === 'failure' || entry.outcome.result.isError) return 'error';
  return 'ok';
}

const KIND_WORD: Record<HistoryEntry['kind'], string> = { tool: 'call', prompt: 'prompt', resource: 'read' };

/**
 * What this person did in this browser, newest first: tool calls, prompt gets and resource reads. Each can be
 * shown again or run again with its arguments (a call that may change data asks first); Clear forgets them.
 */
export function HistoryView({ entries, onRerun, onClear }: { entries: HistoryEntry[]; onRerun: (entry: HistoryEntry) => void; onClear: () => void }): Html {
  const [shown, setShown] = useState<string | null>(null);
  return h(
    'section',
    { class: 'history', id: 'history', 'aria-labelledby': 'history-title' },
    h('div', { class: 'row' }, h('h2', { id: 'history-title', tabIndex: -1 }, 'History'), entries.length ? h('button', { type: 'button', class: 'secondary small', onClick: onClear }, 'Clear') : null),
    entries.length === 0
      ? h('p', { class: 'muted' }, 'No calls yet.')
      : h(
          'ol',
          { class: 'history-list' },
          entries.map((entry) =>
            h(
              'li',
              { key: entry.id, class: `history-${statusOf(entry)}` },
              h(
                'div',
                { class: 'row' },
                h('span', { class: 'badge' }, statusOf(entry)),
                h('code', null, `${entry.server} › ${entry.name}`),
                h('span', { class: 'muted' }, `${KIND_WORD[entry.kind]}, ${new Date(entry.startedAt).toLocaleTimeString()}${entry.durationMs !== undefined ? `, ${entry.durationMs} ms` : ''}`),
              ),
              Object.keys(entry.args).length ? h('code', { class: 'args' }, JSON.stringify(entry.args)) : null,
              h(
                'div',
                { class: 'row' },
                entry.outcome
                  ? h('button', { type: 'button', class: 'secondary small', 'aria-expanded': shown === entry.id ? 'true' : 'false', onClick: () => setShown(shown === entry.id ? null : entry.id) }, shown === entry.id ? 'Hide result' : 'Show result')
                  : null,
                h('button', { type: 'button', class: 'secondary small', disabled: !entry.outcome, onClick: () => onRerun(entry), 'aria-label': `Run ${entry.name} again` }, 'Run again'),
              ),
              shown === entry.id && entry.outcome ? h(ResultView, { outcome: entry.outcome }) : null,
            ),
          ),
        ),
  );
}
