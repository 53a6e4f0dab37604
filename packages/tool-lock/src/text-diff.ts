/** A short difference between two texts (a tool description before and after), in git's word-diff style. */

/**
 * `…common text[-removed-]{+added+}common text…`, with at most `context` characters of the common text kept on
 * each side of the change (one changed span: from the first difference to the last).
 */
export function shortTextDiff(before: string, after: string, context = 30): string {
  if (before === after) return before.length <= 2 * context ? before : `${before.slice(0, 2 * context)}…`;
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start += 1;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end += 1;
  const head = before.slice(0, start);
  const tail = before.slice(before.length - end);
  const removed = before.slice(start, before.length - end);
  const added = after.slice(start, after.length - end);
  const shownHead = head.length > context ? `…${head.slice(head.length - context)}` : head;
  const shownTail = tail.length > context ? `${tail.slice(0, context)}…` : tail;
  return `${shownHead}${removed ? `[-${removed}-]` : ''}${added ? `{+${added}+}` : ''}${shownTail}`;
}
