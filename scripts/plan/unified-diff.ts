/**
 * Line-based unified diff (the format of `diff -u` and `git diff`), small and dependency-free.
 * Objects rendered by Kustomize are a few hundred lines at most, so a plain LCS table is enough.
 */

/** One line of an edit script: kept, removed from the old text, or added in the new one. */
type Edit = { op: ' ' | '-' | '+'; line: string; oldNo: number; newNo: number };

/** Options of {@link unifiedDiff}. */
export interface UnifiedDiffOptions {
  /** Label of the old text in the `---` header. */
  fromLabel: string;
  /** Label of the new text in the `+++` header. */
  toLabel: string;
  /** Unchanged lines shown around each change. @default 3 */
  context?: number;
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** Longest-common-subsequence edit script from `a` to `b`. */
function editScript(a: string[], b: string[]): Edit[] {
  const n = a.length;
  const m = b.length;
  // lcs[i][j] = length of the LCS of a[i..] and b[j..]
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const edits: Edit[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      edits.push({ op: ' ', line: a[i]!, oldNo: i++, newNo: j++ });
    } else if (i < n && (j === m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      // Removals before additions, as diff -u and git diff show them.
      edits.push({ op: '-', line: a[i]!, oldNo: i++, newNo: j });
    } else {
      edits.push({ op: '+', line: b[j]!, oldNo: i, newNo: j++ });
    }
  }
  return edits;
}

/** Groups changed edits with their context into hunks (index ranges into `edits`). */
function hunkRanges(edits: Edit[], context: number): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  edits.forEach((edit, index) => {
    if (edit.op === ' ') return;
    const start = Math.max(0, index - context);
    const end = Math.min(edits.length, index + context + 1);
    const last = ranges.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else ranges.push([start, end]);
  });
  return ranges;
}

function hunkHeader(hunk: Edit[]): string {
  const first = hunk[0]!;
  const oldCount = hunk.filter((e) => e.op !== '+').length;
  const newCount = hunk.filter((e) => e.op !== '-').length;
  // In the unified format an empty range starts at the line before it.
  const oldStart = oldCount === 0 ? first.oldNo : first.oldNo + 1;
  const newStart = newCount === 0 ? first.newNo : first.newNo + 1;
  return `@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`;
}

/** Unified diff of two texts; the empty string when they are equal. */
export function unifiedDiff(oldText: string, newText: string, options: UnifiedDiffOptions): string {
  if (oldText === newText) return '';
  const edits = editScript(splitLines(oldText), splitLines(newText));
  const out = [`--- ${options.fromLabel}`, `+++ ${options.toLabel}`];
  for (const [start, end] of hunkRanges(edits, options.context ?? 3)) {
    const hunk = edits.slice(start, end);
    out.push(hunkHeader(hunk), ...hunk.map((e) => `${e.op}${e.line}`));
  }
  return `${out.join('\n')}\n`;
}
