import { h, type VNode } from 'preact';
/** A rendered element (any props). */
type Html = VNode<any>;
import { useState } from 'preact/hooks';

async function writeClipboard(text: string): Promise<void> {
  if (navigator.clipboard?.writeText) return navigator.clipboard.writeText(text);
  // Without the async clipboard API (plain http on another host than localhost): a selected, hidden textarea.
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  const copied = document.execCommand('copy');
  area.remove();
  if (!copied) throw new Error('copy refused');
}

/** A button that copies `text` and says so ("Copied" for a moment, or that it could not). */
export function CopyButton({ label, text }: { label: string; text: () => string }): Html {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = () =>
    writeClipboard(text()).then(
      () => setState('copied'),
      () => setState('failed'),
    ).finally(() => setTimeout(() => setState('idle'), 2000));
  return h(
    'button',
    { type: 'button', class: 'secondary small', onClick: copy, 'aria-live': 'polite' },
    state === 'copied' ? 'Copied' : state === 'failed' ? 'Could not copy' : label,
  );
}
