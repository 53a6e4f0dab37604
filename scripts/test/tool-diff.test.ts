/**
 * The plan's tool section on its own (pure): the tool locks of two renderings of the repository's servers compared,
 * with a tool added, one removed, a description reworded under the same name, a tool made writable, and the
 * Markdown and text forms the pull-request comment and the terminal show.
 */
import { describe, expect, it } from 'vitest';
import { buildLock, formatLock, parseLock, type ListedTool } from '@mcp-gateway/tool-lock';
import { parseRegistry, renderObjects, type KubeObject } from '../../generators/src/index.ts';
import { locksFor, repoRegistryJson } from '../../generators/test/helpers.ts';
import { formatMarkdown, formatText } from '../plan/format.ts';
import { diffTools, formatToolChange } from '../plan/tool-diff.ts';

const text = JSON.stringify(repoRegistryJson(), null, 2);

/** The repository rendered, with `edit` applied to the tools of mcp-example's lock. */
function render(edit: (tools: ListedTool[]) => ListedTool[] = (tools) => tools): KubeObject[] {
  const locks = locksFor(text);
  const example = parseLock(locks.get('mcp-example')!);
  locks.set('mcp-example', formatLock(buildLock('mcp-example', example.source, edit(example.tools.map(({ digest: _d, ...tool }) => tool)))));
  const { registry, problems } = parseRegistry(text, locks);
  if (!registry) throw new Error(problems.map((p) => p.message).join('\n'));
  return renderObjects(registry);
}

const shout = { name: 'shout', description: 'Upper-cases the text and posts it to the team channel.', inputSchema: { type: 'object' }, annotations: { readOnlyHint: false, destructiveHint: false } };

describe('diffTools', () => {
  const before = render();

  it('finds nothing between equal renderings', () => {
    expect(diffTools(before, render())).toEqual([]);
  });

  it('lists a new tool with a warning when it is not read-only, and a removed one', () => {
    const after = render((tools) => [...tools.filter((t) => t.name !== 'add'), shout]);
    expect(diffTools(before, after)).toEqual([
      { sign: '+', server: 'mcp-example', tool: 'shout', warning: 'not read-only: it may change things (readOnlyHint is not true)' },
      { sign: '-', server: 'mcp-example', tool: 'add' },
    ]);
  });

  it('shows a description reworded under the same name as a short diff, and warns when a change makes a tool writable', () => {
    const after = render((tools) => tools.map((t) => (t.name === 'echo' ? { ...t, description: 'Returns the text it is given, and keeps a copy.', annotations: { ...(t.annotations as object), readOnlyHint: false, destructiveHint: true } } : t)));
    const [change] = diffTools(before, after);
    expect(change).toEqual({
      sign: '~',
      server: 'mcp-example',
      tool: 'echo',
      fields: ['description', 'annotations'],
      notes: ['description: Returns the text it is given{+, and keeps a copy+}.'],
      warning: 'not read-only: it may change or destroy things (readOnlyHint is not true, destructiveHint is not false)',
    });
    expect(formatToolChange(change!)).toEqual([
      '~ mcp-example: echo (changed: description, annotations)',
      '    description: Returns the text it is given{+, and keeps a copy+}.',
      '    warning: mcp-example: echo is not read-only: it may change or destroy things (readOnlyHint is not true, destructiveHint is not false)',
    ]);
  });

  it('lists every tool of a server that is added or removed', () => {
    const withoutMssql = before.filter((o) => o.metadata.name !== 'mcp-mssql-tool-lock');
    const added = diffTools(withoutMssql, before);
    expect(added.every((c) => c.sign === '+' && c.server === 'mcp-mssql')).toBe(true);
    expect(added.map((c) => c.tool)).toEqual(['describe_table', 'list_schemas', 'list_tables', 'run_query', 'sample_rows']);
    expect(added.filter((c) => c.warning)).toEqual([]);
    expect(diffTools(before, withoutMssql).map((c) => c.sign)).toEqual(['-', '-', '-', '-', '-']);
  });
});

describe('the tool section of the plan', () => {
  const tools = diffTools(render(), render((t) => [...t, shout]));
  const plans = [{ environment: 'dev', added: [], changed: [], removed: [], tools }];

  it('comes in the text with its warning line', () => {
    const out = formatText({ ref: 'main', warnings: [] }, plans);
    expect(out).toContain("Tool changes (what the gateway will serve, from the servers' tool locks; review every description, and every tool that is not read-only):\n  dev:\n    + mcp-example: shout (added)\n        warning: mcp-example: shout is not read-only: it may change things (readOnlyHint is not true)\n");
  });

  it('comes in the Markdown comment as its own section', () => {
    const out = formatMarkdown({ ref: 'main', warnings: [] }, plans);
    expect(out).toContain('### Tool changes');
    expect(out).toContain('+ mcp-example: shout (added)\n    warning: mcp-example: shout is not read-only');
  });
});
