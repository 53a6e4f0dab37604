import { h, type VNode } from 'preact';
/** A rendered element (any props). */
type Html = VNode<any>;
import { useState } from 'preact/hooks';
import { ResultView } from './result-view.ts';
import type { HistoryEntry } from './tool-panel.ts';

function statusOf(entry: HistoryEntry): string {
  if (!entry.outcome) return 'running';
  if (entry.outcome.kind === 'cancelled') return 'cancelled';
  if (entry.outcome.kind === 'failure' || entry.outcome.result.isError) return 'error';
  return 'ok';
}

/** The calls made in this browser session, newest first; each can be shown again or re-run with its arguments. */
export function HistoryView({ entries, onRerun }: { entries: HistoryEntry[]; onRerun: (entry: HistoryEntry) => void }): Html {
  const [shown, setShown] = useState<number | null>(null);
  return h(
    'section',
    { class: 'history', 'aria-labelledby': 'history-title' },
    h('h2', { id: 'history-title' }, 'History'),
    entries.length === 0
      ? h('p', { class: 'muted' }, 'No calls yet.')
      : h(
          'ol',
          { class: 'history-list', reversed: true },
          entries.map((entry) =>
            h(
              'li',
              { key: entry.id, class: `history-${statusOf(entry)}` },
              h(
                'div',
                { class: 'row' },
                h('span', { class: 'badge' }, statusOf(entry)),
                h('code', null, `${entry.server} › ${entry.tool}`),
                h('span', { class: 'muted' }, `${entry.startedAt.toLocaleTimeString()}${entry.durationMs !== undefined ? `, ${entry.durationMs} ms` : ''}`),
              ),
              h('code', { class: 'args' }, JSON.stringify(entry.args)),
              h(
                'div',
                { class: 'row' },
                entry.outcome
                  ? h('button', { type: 'button', class: 'secondary', 'aria-expanded': shown === entry.id ? 'true' : 'false', onClick: () => setShown(shown === entry.id ? null : entry.id) }, shown === entry.id ? 'Hide result' : 'Show result')
                  : null,
                h('button', { type: 'button', class: 'secondary', onClick: () => onRerun(entry) }, 'Run again'),
              ),
              shown === entry.id && entry.outcome ? h(ResultView, { outcome: entry.outcome }) : null,
            ),
          ),
        ),
  );
}
