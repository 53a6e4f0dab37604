/**
 * Pure parts of the plan: the unified diff (checked against `git apply`, the real consumer of the
 * format), object matching and the text/Markdown reports.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffEnvironment, isEmptyPlan, objectKey, summaryLine, type KubeObject } from '../plan/diff-objects.ts';
import { COMMENT_MARKER, formatMarkdown, formatText, MARKDOWN_LIMIT } from '../plan/format.ts';
import { unifiedDiff } from '../plan/unified-diff.ts';

/** Applies `patch` to `oldText` with git and returns the result. */
function gitApply(oldText: string, patch: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'plan-diff-'));
  try {
    writeFileSync(join(dir, 'file.yaml'), oldText);
    writeFileSync(join(dir, 'change.patch'), patch);
    execFileSync('git', ['apply', '--whitespace=nowarn', 'change.patch'], { cwd: dir, stdio: 'pipe' });
    return readFileSync(join(dir, 'file.yaml'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Deterministic pseudo-random generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function mutate(lines: string[], next: () => number): string[] {
  const out = [...lines];
  const edits = 1 + Math.floor(next() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(next() * (out.length + 1));
    const choice = next();
    if (choice < 0.33 && out.length > 0) out.splice(at, 1);
    else if (choice < 0.66) out.splice(at, 0, `inserted ${e} ${Math.floor(next() * 100)}`);
    else if (out.length > 0) out[Math.min(at, out.length - 1)] = `changed ${e}`;
  }
  return out;
}

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n', { fromLabel: 'a', toLabel: 'b' })).toBe('');
  });

  it('writes hunks with three lines of context', () => {
    const old = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'].join('\n') + '\n';
    const next = old.replace('5\n', 'five\n');
    expect(unifiedDiff(old, next, { fromLabel: 'a/x', toLabel: 'b/x' })).toBe(
      ['--- a/x', '+++ b/x', '@@ -2,7 +2,7 @@', ' 2', ' 3', ' 4', '-5', '+five', ' 6', ' 7', ' 8', ''].join('\n'),
    );
  });

  it('diffs a catalog of 20,000 lines with one entry added into one small hunk git apply accepts', () => {
    const entries = (n: number) => Array.from({ length: n }, (_, i) => `  - name: mcp-s${String(i).padStart(5, '0')}\n    path: /mcp/s${i}`);
    const oldText = `${entries(10_000).join('\n')}\n`;
    const lines = entries(10_000);
    lines.splice(5_000, 0, '  - name: mcp-added\n    path: /mcp/added');
    const newText = `${lines.join('\n')}\n`;
    const patch = unifiedDiff(oldText, newText, { fromLabel: 'a/file.yaml', toLabel: 'b/file.yaml' });
    expect(patch.split('\n').filter((l) => l.startsWith('+') && !l.startsWith('+++'))).toEqual(['+  - name: mcp-added', '+    path: /mcp/added']);
    expect(patch.split('\n').filter((l) => l.startsWith('@@'))).toHaveLength(1);
    expect(gitApply(oldText, patch)).toBe(newText);
  });

  it('produces patches that git apply turns into the new text (200 random edits)', () => {
    const next = random(42);
    const base = Array.from({ length: 30 }, (_, i) => `line ${i}: ${i % 3 === 0 ? 'same' : `value-${i}`}`);
    for (let round = 0; round < 200; round++) {
      const oldLines = mutate(base, next);
      const newLines = mutate(oldLines, next);
      const oldText = oldLines.length ? `${oldLines.join('\n')}\n` : '';
      const newText = newLines.length ? `${newLines.join('\n')}\n` : '';
      const patch = unifiedDiff(oldText, newText, { fromLabel: 'a/file.yaml', toLabel: 'b/file.yaml' });
      if (oldText === newText) continue;
      expect(gitApply(oldText, patch), `round ${round}\n${patch}`).toBe(newText);
    }
  });
});

const deployment = (replicas: number, image = 'ghcr.io/example/a:1'): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'mcp-example', namespace: 'agentgateway-system' },
  spec: { replicas, template: { spec: { containers: [{ name: 'server', image }] } } },
});
const namespace: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'agentgateway-system' } };
const secret: KubeObject = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'token', namespace: 'agentgateway-system' },
  data: { 'access-token': 'c2VjcmV0LXZhbHVl' },
};

describe('diffEnvironment', () => {
  it('keys objects by kind/namespace/name, cluster-scoped ones by kind/name', () => {
    expect(objectKey(deployment(1))).toBe('Deployment/agentgateway-system/mcp-example');
    expect(objectKey(namespace)).toBe('Namespace/agentgateway-system');
  });

  it('sorts added, changed and removed objects and diffs the changed ones', () => {
    const plan = diffEnvironment('dev', [deployment(1), namespace], [deployment(3), secret]);
    expect(plan.added.map((o) => o.key)).toEqual(['Secret/agentgateway-system/token']);
    expect(plan.removed.map((o) => o.key)).toEqual(['Namespace/agentgateway-system']);
    expect(plan.changed).toHaveLength(1);
    expect(plan.changed[0]!.diff).toContain('-  replicas: 1\n+  replicas: 3');
    expect(summaryLine(plan)).toBe('dev: 1 added, 1 changed, 1 removed');
  });

  it('ignores a change of key order', () => {
    const reordered: KubeObject = { spec: deployment(1).spec, metadata: deployment(1).metadata, kind: 'Deployment', apiVersion: 'apps/v1' };
    expect(isEmptyPlan([diffEnvironment('dev', [deployment(1)], [reordered])])).toBe(true);
  });

  it('never shows Secret values', () => {
    const plan = diffEnvironment('dev', [], [secret]);
    expect(plan.added[0]!.yaml).not.toContain('c2VjcmV0LXZhbHVl');
    expect(plan.added[0]!.yaml).toContain('access-token: <redacted>');
  });
});

describe('formatText and formatMarkdown', () => {
  const plans = [diffEnvironment('dev', [deployment(1)], [deployment(2), namespace]), diffEnvironment('prod', [], [])];
  const header = { ref: 'origin/main', warnings: ['base/ is stale'] };

  it('text: summary lines, warnings, and each change', () => {
    const text = formatText(header, plans);
    expect(text).toContain('dev: 1 added, 1 changed, 0 removed\nprod: 0 added, 0 changed, 0 removed');
    expect(text).toContain('warning: base/ is stale');
    expect(text).toContain('~ changed Deployment/agentgateway-system/mcp-example');
    expect(text).toContain('+ added Namespace/agentgateway-system');
  });

  it('markdown: marker for the CI comment, summary list, collapsible diffs', () => {
    const md = formatMarkdown(header, plans);
    expect(md.startsWith(COMMENT_MARKER)).toBe(true);
    expect(md).toContain('- dev: 1 added, 1 changed, 0 removed');
    expect(md).toContain('<details><summary>changed <code>Deployment/agentgateway-system/mcp-example</code></summary>');
    expect(md).toMatch(/```diff\n--- a\/Deployment/);
  });

  it('markdown: stays under the comment limit and says so when cut', () => {
    const many = Array.from({ length: 400 }, (_, i) => ({ ...deployment(i), metadata: { name: `s-${i}`, namespace: 'ns' } }));
    const md = formatMarkdown(header, [diffEnvironment('dev', [], many)]);
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_LIMIT + 1);
    expect(md).toContain('too long for a comment');
    expect(md).toContain('- dev: 400 added, 0 changed, 0 removed');
  });
});
