/**
 * Line-based unified diff (the format of `diff -u` and `git diff`), small and dependency-free: the common
 * first and last lines are set aside, and a plain LCS table covers the rest.
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

/** Longest-common-subsequence edit script from `a` to `b`, on the lines between `from` and the common suffix. */
function middleEdits(a: string[], b: string[], from: number, toA: number, toB: number, edits: Edit[]): void {
  const n = toA - from;
  const m = toB - from;
  // lcs[i][j] = length of the LCS of a[from + i .. toA) and b[from + j .. toB)
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = a[from + i] === b[from + j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[from + i] === b[from + j]) {
      edits.push({ op: ' ', line: a[from + i]!, oldNo: from + i++, newNo: from + j++ });
    } else if (i < n && (j === m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      // Removals before additions, as diff -u and git diff show them.
      edits.push({ op: '-', line: a[from + i]!, oldNo: from + i++, newNo: from + j });
    } else {
      edits.push({ op: '+', line: b[from + j]!, oldNo: from + i, newNo: from + j++ });
    }
  }
}

/**
 * Edit script from `a` to `b`. The common first and last lines are taken as they are, so the quadratic table only
 * covers what changed: a server added to the UI catalog of a thousand is a few lines in the middle of thousands.
 */
function editScript(a: string[], b: string[]): Edit[] {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  const edits: Edit[] = [];
  for (let k = 0; k < prefix; k++) edits.push({ op: ' ', line: a[k]!, oldNo: k, newNo: k });
  middleEdits(a, b, prefix, a.length - suffix, b.length - suffix, edits);
  for (let k = suffix; k > 0; k--) edits.push({ op: ' ', line: a[a.length - k]!, oldNo: a.length - k, newNo: b.length - k });
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
