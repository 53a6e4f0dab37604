/**
 * Checks on a parsed body that run before anything recursive touches it (the SDK's schema checks, logging,
 * serialization): a body nested deeper than MAX_JSON_DEPTH would overflow the stack there and come back as a
 * 500, so it is refused as an invalid request instead.
 */

/** Deeper than any MCP message needs (tool arguments included), far below what recursion survives. */
export const MAX_JSON_DEPTH = 128;

/** Whether `value` nests arrays and objects more than `max` levels deep (iterative: safe on any depth). */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > max) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}
