/**
 * Markdown from servers becomes elements, never HTML: raw HTML stays text, script and event-handler tricks
 * never reach an attribute, links keep only http(s)/mailto. Checked on the element tree the page renders.
 */
import { describe, expect, it } from 'vitest';
import type { VNode } from 'preact';
import { looksLikeMarkdown, Markdown } from '../src/web/components/markdown.ts';

type Node = VNode<Record<string, unknown>> | string | number | null | undefined | boolean | Node[];

/** Walks a Preact element tree (calling function components) into tags with props, and text. */
function flatten(node: Node, out: { tags: { type: string; props: Record<string, unknown> }[]; text: string[] } = { tags: [], text: [] }) {
  if (node === null || node === undefined || typeof node === 'boolean') return out;
  if (typeof node === 'string' || typeof node === 'number') {
    out.text.push(String(node));
    return out;
  }
  if (Array.isArray(node)) {
    node.forEach((child) => flatten(child, out));
    return out;
  }
  if (typeof node.type === 'function') return flatten((node.type as (p: unknown) => Node)(node.props), out);
  const { children, ...props } = node.props as { children?: Node };
  out.tags.push({ type: String(node.type), props });
  flatten(children, out);
  return out;
}

const render = (text: string) => flatten(Markdown({ text }) as Node);

describe('Markdown', () => {
  it('renders the usual syntax as elements', () => {
    const { tags, text } = render('# Title\n\nSome **bold**, `code` and a [link](https://example.com).\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n');
    expect(tags.map((t) => t.type)).toEqual(expect.arrayContaining(['h4', 'strong', 'code', 'a', 'ul', 'li', 'table', 'th', 'td']));
    expect(tags.find((t) => t.type === 'a')?.props).toMatchObject({ href: 'https://example.com', rel: 'noopener noreferrer nofollow' });
    expect(text.join('')).toContain('Title');
  });

  it('never turns raw HTML, scripts or javascript: links into markup', () => {
    const hostile = '<img src=x onerror=alert(1)> <script>alert(2)</script>\n\n[click](javascript:alert(3)) ![i](javascript:alert(4)) <a href="javascript:alert(5)">x</a>\n\n<div onclick="alert(6)">block</div>';
    const { tags, text } = render(hostile);
    const types = new Set(tags.map((t) => t.type));
    for (const forbidden of ['img', 'script', 'iframe', 'style']) expect(types.has(forbidden)).toBe(false);
    for (const tag of tags) {
      expect(tag.props).not.toHaveProperty('dangerouslySetInnerHTML');
      for (const [name, value] of Object.entries(tag.props)) {
        expect(name.toLowerCase().startsWith('on')).toBe(false);
        expect(String(value)).not.toMatch(/javascript:/i);
      }
    }
    // The HTML is still there to read, as text.
    expect(text.join('')).toContain('<script>alert(2)</script>');
    expect(tags.filter((t) => t.type === 'a')).toEqual([]);
  });

  it('tells Markdown from plain text', () => {
    expect(looksLikeMarkdown('## Steps\n\n1. one')).toBe(true);
    expect(looksLikeMarkdown('Use **bold**')).toBe(true);
    expect(looksLikeMarkdown('42')).toBe(false);
    expect(looksLikeMarkdown('Unknown time zone "Mars/Olympus"')).toBe(false);
  });
});
