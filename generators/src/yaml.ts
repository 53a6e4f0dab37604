/**
 * YAML for the generated files, fast. The `yaml` package's `stringify(value, { lineWidth: 0, version: '1.1' })` is
 * the reference and stays the fallback: this writes the same bytes for the plain data the renderers build (block
 * maps and sequences, integers, booleans, null, printable ASCII strings, multi-line text ending in one newline as a
 * literal block) in a fraction of the time, and hands any value it is not sure about (another multi-line or a
 * non-ASCII single-line string, a float, a key that needs quoting, one object reached twice, which the package
 * writes as an anchor and an alias) to the package.
 * Which plain strings YAML 1.1 would read as something else is asked of the package's own 1.1 schema, so both
 * quote the same strings. `generators/test/yaml.test.ts` compares the two on every rendered object and on
 * awkward strings.
 */
import { Document, stringify } from 'yaml';

const OPTIONS = { lineWidth: 0, version: '1.1' } as const;

/** Thrown when a value needs the package: a control-flow signal, never shown. */
class NeedsPackage extends Error {}

/** Plain scalars YAML 1.1 would resolve to a non-string (bool, null, int, float, timestamp), from the package's schema. */
const RESOLVES_TO_NON_STRING: RegExp[] = new Document(null, { version: '1.1' }).schema.tags
  .filter((tag) => tag.default === true && tag.tag !== 'tag:yaml.org,2002:str' && tag.test instanceof RegExp)
  .map((tag) => tag.test as RegExp);

/** Characters and places where a plain scalar is not allowed (indicators, `: `, ` #`, a trailing space or colon). */
const NOT_PLAIN = /^[ ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-] |: | #|[ :]$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** A document marker at the start makes the package choose by indentation: left to it. */
const DOCUMENT_MARKER = /^(---|\.\.\.)/;

/** How the package quotes a single-line printable string that cannot be plain. */
function quoted(value: string): string {
  const hasDouble = value.includes('"');
  const hasSingle = value.includes("'");
  if (hasDouble && !hasSingle) return `'${value}'`;
  return JSON.stringify(value);
}

function scalarString(value: string): string {
  if (!PRINTABLE_ASCII.test(value) || DOCUMENT_MARKER.test(value) || value === '<<' || value.length > 1024) throw new NeedsPackage();
  if (NOT_PLAIN.test(value) || RESOLVES_TO_NON_STRING.some((re) => re.test(value))) return quoted(value);
  return value;
}

/**
 * Text the package writes as a plain literal block (`|`, no indentation or chomping indicator): lines of printable
 * characters (no tab, no line separator the YAML spec counts as a break), the first not starting with a space, no
 * line of spaces only, and exactly one newline at the end. The lock files in ConfigMaps are such text.
 */
const LITERAL_LINE = /^[\x20-\x7e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]*$/;
function literalLines(value: string): string[] | undefined {
  if (!value.endsWith('\n') || value.endsWith('\n\n')) return undefined;
  const lines = value.slice(0, -1).split('\n');
  if (lines[0] === '' || lines[0]!.startsWith(' ')) return undefined;
  return lines.every((line) => LITERAL_LINE.test(line) && (line === '' || line.trim() !== '')) ? lines : undefined;
}

function scalar(value: unknown): string {
  if (typeof value === 'string') return scalarString(value);
  if (typeof value === 'number' && Number.isSafeInteger(value) && !Object.is(value, -0)) return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value === null) return 'null';
  throw new NeedsPackage();
}

const isMap = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;

/** Collections already written: the package writes a second reference as an alias. */
let seen = new Set<object>();

function enter(collection: object): void {
  if (seen.has(collection)) throw new NeedsPackage();
  seen.add(collection);
}

/** `key: value` lines of a block map at `indent`; undefined values are left out, as the package does. */
function blockMap(map: Record<string, unknown>, indent: string, out: string[]): void {
  enter(map);
  for (const key of Object.keys(map)) {
    const value = map[key];
    if (value === undefined) continue;
    node(`${indent}${scalarString(key)}:`, value, indent, out);
  }
}

/** `- item` lines of a block sequence at `indent`. */
function blockSeq(items: unknown[], indent: string, out: string[]): void {
  enter(items);
  for (const item of items) {
    if (item === undefined) throw new NeedsPackage();
    if ((isMap(item) && Object.keys(item).some((k) => item[k] !== undefined)) || (Array.isArray(item) && item.length > 0)) {
      // The item's first line moves up after the dash: `- key: value`, `- - item`.
      const inner: string[] = [];
      if (Array.isArray(item)) blockSeq(item, `${indent}  `, inner);
      else blockMap(item, `${indent}  `, inner);
      inner[0] = `${indent}- ${inner[0]!.slice(indent.length + 2)}`;
      out.push(...inner);
    } else {
      node(`${indent}-`, item, indent, out);
    }
  }
}

/** `head` followed by a value: ` scalar`, ` {}`, ` []`, or the block of a collection on the next lines. */
function node(head: string, value: unknown, indent: string, out: string[]): void {
  if (Array.isArray(value)) {
    if (value.length === 0) {
      enter(value);
      out.push(`${head} []`);
    }
    else {
      out.push(head);
      blockSeq(value, `${indent}  `, out);
    }
  } else if (value !== null && typeof value === 'object') {
    if (!isMap(value)) throw new NeedsPackage();
    if (Object.keys(value).every((k) => value[k] === undefined)) {
      enter(value);
      out.push(`${head} {}`);
    }
    else {
      out.push(head);
      blockMap(value, `${indent}  `, out);
    }
  } else {
    const lines = typeof value === 'string' && value.includes('\n') ? literalLines(value) : undefined;
    if (lines) {
      out.push(`${head} |`);
      // One push per line: spreading a text of many lines into push() would overflow the stack.
      for (const line of lines) out.push(line === '' ? '' : `${indent}  ${line}`);
    } else out.push(`${head} ${scalar(value)}`);
  }
}

/** The fast path alone: the YAML, or undefined when the value needs the package. */
export function stringifyYamlFast(value: Record<string, unknown>): string | undefined {
  seen = new Set();
  try {
    if (!isMap(value)) throw new NeedsPackage();
    const out: string[] = [];
    blockMap(value, '', out);
    return out.length === 0 ? '{}\n' : `${out.join('\n')}\n`;
  } catch (error) {
    if (!(error instanceof NeedsPackage)) throw error;
    return undefined;
  } finally {
    seen = new Set();
  }
}

/** Block YAML of one document (a map at the top), byte for byte what the package writes with the options above. */
export function stringifyYaml(value: Record<string, unknown>): string {
  return stringifyYamlFast(value) ?? stringify(value, OPTIONS);
}

/** The package's own output, for comparing (tests) and for values this module leaves to it. */
export const stringifyWithPackage = (value: unknown): string => stringify(value, OPTIONS);
