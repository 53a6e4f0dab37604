/** Heap flags and the default in-flight byte bound, derived from a container's memory limit. */
import { describe, expect, it } from 'vitest';
import { defaultInflightBytes, heapSizes, memoryBytes, nodeOptions } from '../../src/render/node-runtime.ts';

describe('memoryBytes', () => {
  it.each([
    ['256Mi', 256 * 2 ** 20],
    ['1Gi', 2 ** 30],
    ['500M', 500e6],
    ['1048576', 1_048_576],
    ['64Ki', 65_536],
  ])('%s', (quantity, bytes) => expect(memoryBytes(quantity)).toBe(bytes));
  it('refuses what is not a memory quantity', () => expect(() => memoryBytes('1.5Gi')).toThrow('"1.5Gi" is not a memory quantity like 256Mi'));
});

describe('nodeOptions', () => {
  it.each([
    ['128Mi', '--max-old-space-size=48 --max-semi-space-size=8'],
    ['256Mi', '--max-old-space-size=96 --max-semi-space-size=16'],
    ['320Mi', '--max-old-space-size=120 --max-semi-space-size=16'],
    ['2Gi', '--max-old-space-size=768 --max-semi-space-size=16'],
  ])('%s → %s', (limit, flags) => expect(nodeOptions(limit)).toBe(flags));

  it.each(['96Mi', '128Mi', '256Mi', '320Mi', '512Mi', '1Gi', '4Gi'])('keeps the heap (old space and young generation) within 3/4 of %s', (limit) => {
    const { oldSpaceMiB, semiSpaceMiB } = heapSizes(limit);
    expect((oldSpaceMiB + 3 * semiSpaceMiB) * 2 ** 20).toBeLessThanOrEqual(memoryBytes(limit) * 0.75);
  });
});

describe('defaultInflightBytes', () => {
  it('is a 32nd of the memory limit', () => {
    expect(defaultInflightBytes('256Mi')).toBe(8 * 2 ** 20);
    expect(defaultInflightBytes('320Mi')).toBe(10 * 2 ** 20);
  });
});
