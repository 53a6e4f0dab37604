/**
 * A T-SQL lexer that follows SQL Server's rules where they matter for a read-only gate:
 * strings ('' escapes, N prefix, no backslash escapes), bracketed names (]] escapes),
 * double-quoted names ("" escapes, QUOTED_IDENTIFIER ON as tedious sets it), line comments,
 * and NESTED block comments. The gate re-renders the text from these segments (comments removed)
 * before parsing and before running: the parser and the server then read the same text.
 */

/** One piece of the text; the segments of a text cover it end to end. */
export interface Segment {
  kind: 'space' | 'comment' | 'word' | 'variable' | 'sysvar' | 'number' | 'string' | 'quoted' | 'punct';
  text: string;
  /** Offset of the first character in the original text. */
  start: number;
}

/** Thrown when the text cannot be split into T-SQL tokens; the gate refuses such text. */
export class LexError extends Error {
  override name = 'LexError';
}

const WORD_START = /[A-Za-z_#$]/;
const WORD_PART = /[A-Za-z0-9_#$@]/;
const SPACE = /[ \t\r\n]/;
const PUNCT = '(),.;+-*/%=<>!~&|^:';

function where(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

/** Reads a quoted run that ends at `close`, where a doubled `close` stands for itself. */
function quotedEnd(text: string, from: number, close: string, what: string): number {
  let i = from;
  for (;;) {
    const at = text.indexOf(close, i);
    if (at === -1) throw new LexError(`unterminated ${what} starting at ${where(text, from - 1)}`);
    if (text[at + 1] === close) {
      i = at + 2;
      continue;
    }
    return at + 1;
  }
}

/** Block comments nest in T-SQL: `/* a /* b *\/ c *\/` is one comment. */
function blockCommentEnd(text: string, from: number): number {
  let depth = 0;
  let i = from;
  while (i < text.length) {
    if (text.startsWith('/*', i)) {
      depth += 1;
      i += 2;
    } else if (text.startsWith('*/', i)) {
      depth -= 1;
      i += 2;
      if (depth === 0) return i;
    } else {
      i += 1;
    }
  }
  throw new LexError(`unterminated block comment starting at ${where(text, from)}`);
}

function numberEnd(text: string, from: number): number {
  if (/^0x/i.test(text.slice(from, from + 2))) {
    let i = from + 2;
    while (i < text.length && /[0-9A-Fa-f]/.test(text[i]!)) i += 1;
    return i;
  }
  const match = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(from));
  return from + (match?.[0].length ?? 1);
}

function describeChar(ch: string): string {
  const code = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  return `U+${code}`;
}

/** Splits T-SQL text into segments; throws LexError on what SQL Server would read differently or not at all. */
export function lex(text: string): Segment[] {
  const segments: Segment[] = [];
  let i = 0;
  const push = (kind: Segment['kind'], end: number): void => {
    segments.push({ kind, text: text.slice(i, end), start: i });
    i = end;
  };
  while (i < text.length) {
    const ch = text[i]!;
    const next = text[i + 1];
    if (SPACE.test(ch)) {
      let end = i + 1;
      while (end < text.length && SPACE.test(text[end]!)) end += 1;
      push('space', end);
    } else if (ch === '-' && next === '-') {
      const newline = text.indexOf('\n', i);
      push('comment', newline === -1 ? text.length : newline);
    } else if (ch === '/' && next === '*') {
      push('comment', blockCommentEnd(text, i));
    } else if (ch === "'") {
      push('string', quotedEnd(text, i + 1, "'", 'string'));
    } else if ((ch === 'N' || ch === 'n') && next === "'") {
      push('string', quotedEnd(text, i + 2, "'", 'string'));
    } else if (ch === '[') {
      push('quoted', quotedEnd(text, i + 1, ']', 'bracketed name'));
    } else if (ch === '"') {
      push('quoted', quotedEnd(text, i + 1, '"', 'quoted name'));
    } else if (ch === '@') {
      const sys = next === '@';
      let end = i + (sys ? 2 : 1);
      while (end < text.length && WORD_PART.test(text[end]!)) end += 1;
      push(sys ? 'sysvar' : 'variable', end);
    } else if (/[0-9]/.test(ch) || (ch === '.' && next !== undefined && /[0-9]/.test(next))) {
      push('number', numberEnd(text, i));
    } else if (WORD_START.test(ch)) {
      let end = i + 1;
      while (end < text.length && WORD_PART.test(text[end]!)) end += 1;
      push('word', end);
    } else if (PUNCT.includes(ch)) {
      push('punct', i + 1);
    } else {
      throw new LexError(
        `unexpected character ${describeChar(ch)} ("${ch}") at ${where(text, i)}: outside strings only ASCII T-SQL is accepted; put other names in [brackets]`,
      );
    }
  }
  return segments;
}

/** The segments that carry meaning (no spaces, no comments). */
export function tokensOf(segments: Segment[]): Segment[] {
  return segments.filter((s) => s.kind !== 'space' && s.kind !== 'comment');
}

/** The text as SQL Server will run it: comments become one space (line breaks kept), the rest is unchanged. */
export function renderForServer(segments: Segment[]): string {
  return segments
    .map((s) => (s.kind === 'comment' ? (s.text.includes('\n') ? s.text.replace(/[^\n]/g, '') : ' ') : s.text))
    .join('')
    .trim();
}

/**
 * The text for the T-SQL grammar: as for the server, with the given tokens (a TABLESAMPLE clause, which
 * the grammar has no rule for) blanked out, so the parser reads the rest at the same lines and columns.
 */
export function renderForParser(segments: Segment[], omit: ReadonlySet<Segment> = new Set()): string {
  return segments
    .map((s) => {
      if (s.kind === 'comment') return s.text.includes('\n') ? s.text.replace(/[^\n]/g, '') : ' ';
      if (omit.has(s)) return ' '.repeat(s.text.length);
      return s.text;
    })
    .join('')
    .trim();
}
