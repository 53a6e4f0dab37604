/**
 * Positions in JSON texts: where a text stops being valid, because `JSON.parse` on Node 24 does not always say (a
 * small recursive-descent scanner: it only locates the first error, it builds no values), and the line and column
 * of the field a problem is about.
 */
import { isNode, LineCounter, parseDocument } from 'yaml';
import { toJsonPath } from './schema.ts';
import type { Problem } from './types.ts';

/** A problem plus the path segments of the field it is about. */
export type LocatedProblem = Problem & { segments: (string | number)[] };

/**
 * Adds line and column to problems by finding their fields in the text (JSON is YAML, so yaml gives ranges), sorted
 * by position; `file` names the text when it is not servers.json.
 */
export function locate(text: string, problems: LocatedProblem[], file?: string): Problem[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: false });
  return problems.map(({ segments, ...problem }) => {
    let node: unknown;
    for (let n = segments.length; n >= 0 && !isNode(node); n--) node = doc.getIn(segments.slice(0, n), true);
    const where = toJsonPath(segments);
    const named = file === undefined ? { ...problem, where } : { ...problem, where, file };
    if (!isNode(node) || !node.range) return named;
    const pos = lineCounter.linePos(node.range[0]);
    return { ...named, line: pos.line, column: pos.col };
  }).sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

/** 1-based line and column of an offset in a text. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

class JsonSyntaxError extends Error {
  offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.offset = offset;
  }
}

/** Returns the offset and a short reason of the first syntax error, or undefined when the text is valid JSON. */
export function findJsonError(text: string): { offset: number; reason: string } | undefined {
  let i = 0;
  const fail = (reason: string): never => {
    throw new JsonSyntaxError(reason, i);
  };
  const describe = (): string => (i >= text.length ? 'end of input' : `'${text[i]}'`);
  const skipSpace = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const expect = (ch: string) => {
    if (text[i] !== ch) fail(`expected '${ch}' but found ${describe()}`);
    i++;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail(`unexpected ${describe()}`);
  };
  const string = () => {
    expect('"');
    while (i < text.length && text[i] !== '"') {
      const c = text.charCodeAt(i);
      if (c < 0x20) fail('control character in string (use \\n, \\t ...)');
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail('invalid \\u escape');
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail('invalid escape in string');
      }
      i++;
    }
    if (i >= text.length) fail('unterminated string');
    i++;
  };
  const number = () => {
    const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
    if (!match || match[0] === '' || match[0] === '-') fail(`unexpected ${describe()}`);
    i += match![0].length;
  };
  const value = (): void => {
    skipSpace();
    const c = text[i];
    if (c === '{') return object();
    if (c === '[') return array();
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return number();
    fail(`expected a value but found ${describe()}`);
  };
  /** `open`, members separated by commas, `close`; a trailing comma is an error. */
  const sequence = (open: string, close: string, member: () => void) => {
    expect(open);
    skipSpace();
    if (text[i] === close) return void i++;
    for (;;) {
      member();
      skipSpace();
      if (text[i] === ',') {
        i++;
        skipSpace();
        if (text[i] === close) fail(`trailing comma before '${close}'`);
        continue;
      }
      if (text[i] === close) return void i++;
      fail(`expected ',' or '${close}' but found ${describe()}`);
    }
  };
  const object = () =>
    sequence('{', '}', () => {
      if (text[i] !== '"') fail(`expected a property name in double quotes but found ${describe()}`);
      string();
      skipSpace();
      expect(':');
      value();
    });
  const array = () => sequence('[', ']', value);
  try {
    value();
    skipSpace();
    if (i < text.length) fail(`unexpected ${describe()} after the end of the document`);
    return undefined;
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { offset: error.offset, reason: error.message };
    throw error;
  }
}
