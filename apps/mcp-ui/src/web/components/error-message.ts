import { h, type VNode } from 'preact';
/** A rendered element (any props). */
type Html = VNode<any>;

/** An error as a sentence, the technical detail one click away, and Retry when there is something to retry. */
export function ErrorMessage({ message, detail, onRetry, retryLabel = 'Retry' }: { message: string; detail?: string | undefined; onRetry?: (() => void) | undefined; retryLabel?: string }): Html {
  return h(
    'div',
    { class: 'result result-error', role: 'alert' },
    h('p', null, message),
    detail ? h('details', { class: 'detail' }, h('summary', null, 'Technical detail'), h('pre', null, detail)) : null,
    onRetry ? h('div', { class: 'row' }, h('button', { type: 'button', class: 'secondary', onClick: onRetry }, retryLabel)) : null,
  );
}
