import { h, type VNode } from 'preact';
/** A rendered element (any props). */
type Html = VNode<any>;
import { Lexer, type Token, type Tokens } from 'marked';

/**
 * Markdown from servers (tool descriptions, instructions, text results), rendered safely by construction:
 * marked only parses it into tokens, and each token becomes a Preact element, so text is always text. Raw
 * HTML is shown as the characters it is, never parsed; links keep only http(s) and mailto targets (no
 * `javascript:`), open in a new tab without a referrer; images are shown as their links (the CSP would
 * block remote images anyway, and a result must not make the browser fetch anything).
 */

const SAFE_HREF = /^(https?:|mailto:)/i;

/** Whether text uses Markdown syntax worth rendering (otherwise it is shown as plain, preformatted text). */
export function looksLikeMarkdown(text: string): boolean {
  return /(^|\n)(#{1,6} |[-*+] |\d+\. |> |```|\|.*\|\s*\n\|?\s*:?-{3})|\*\*[^*\n]+\*\*|__[^_\n]+__|\[[^\]\n]+\]\([^)\s]+\)|`[^`\n]+`/.test(text);
}

function inline(tokens: Token[] | undefined): (Html | string)[] {
  return (tokens ?? []).map((token, i) => inlineToken(token, i));
}

function inlineToken(token: Token, key: number): Html | string {
  switch (token.type) {
    case 'strong':
      return h('strong', { key }, inline((token as Tokens.Strong).tokens));
    case 'em':
      return h('em', { key }, inline((token as Tokens.Em).tokens));
    case 'del':
      return h('del', { key }, inline((token as Tokens.Del).tokens));
    case 'codespan':
      return h('code', { key }, (token as Tokens.Codespan).text);
    case 'br':
      return h('br', { key });
    case 'link': {
      const link = token as Tokens.Link;
      const label = inline(link.tokens);
      return SAFE_HREF.test(link.href) ? h('a', { key, href: link.href, target: '_blank', rel: 'noopener noreferrer nofollow' }, label) : h('span', { key }, label);
    }
    case 'image': {
      const image = token as Tokens.Image;
      return SAFE_HREF.test(image.href) ? h('a', { key, href: image.href, target: '_blank', rel: 'noopener noreferrer nofollow' }, `[image: ${image.text || image.href}]`) : `[image: ${image.text}]`;
    }
    case 'text': {
      const text = token as Tokens.Text;
      return text.tokens ? h('span', { key }, inline(text.tokens)) : text.text;
    }
    case 'escape':
      return (token as Tokens.Escape).text;
    default:
      // html and anything unknown: its source, as text
      return token.raw;
  }
}

function block(token: Token, key: number): Html | string | null {
  switch (token.type) {
    case 'space':
    case 'def':
      return null;
    case 'heading': {
      // Headings inside content start below the page's own (h1 page, h2 sections, h3 panels).
      const depth = Math.min(6, (token as Tokens.Heading).depth + 3);
      return h(`h${depth}`, { key, class: 'md-heading' }, inline((token as Tokens.Heading).tokens));
    }
    case 'paragraph':
      return h('p', { key }, inline((token as Tokens.Paragraph).tokens));
    case 'code':
      return h('pre', { key, class: 'md-code' }, h('code', null, (token as Tokens.Code).text));
    case 'blockquote':
      return h('blockquote', { key }, blocks((token as Tokens.Blockquote).tokens));
    case 'hr':
      return h('hr', { key });
    case 'list': {
      const list = token as Tokens.List;
      const items = list.items.map((item, i) => h('li', { key: i }, item.task ? h('input', { type: 'checkbox', checked: item.checked, disabled: true }) : null, blocks(item.tokens)));
      return list.ordered ? h('ol', { key, start: list.start === '' ? undefined : Number(list.start) }, items) : h('ul', { key }, items);
    }
    case 'table': {
      const table = token as Tokens.Table;
      return h(
        'div',
        { key, class: 'table-scroll' },
        h(
          'table',
          { class: 'md-table' },
          h('thead', null, h('tr', null, table.header.map((cell, i) => h('th', { key: i, scope: 'col' }, inline(cell.tokens))))),
          h('tbody', null, table.rows.map((row, r) => h('tr', { key: r }, row.map((cell, i) => h('td', { key: i }, inline(cell.tokens)))))),
        ),
      );
    }
    case 'text': {
      const text = token as Tokens.Text;
      return text.tokens ? h('span', { key }, inline(text.tokens)) : text.text;
    }
    default:
      // html blocks and anything unknown: the source, as text
      return h('p', { key }, token.raw);
  }
}

function blocks(tokens: Token[]): (Html | string | null)[] {
  return tokens.map((token, i) => block(token, i));
}

/** Markdown source as elements; `class` is added to the wrapper. */
export function Markdown({ text, class: className }: { text: string; class?: string }): Html {
  let tokens: Token[];
  try {
    tokens = Lexer.lex(text, { gfm: true });
  } catch {
    return h('div', { class: `markdown ${className ?? ''}` }, h('p', null, text));
  }
  return h('div', { class: `markdown ${className ?? ''}` }, blocks(tokens));
}
