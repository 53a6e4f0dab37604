/** The pure logic behind mcp-example's tools and its configuration. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { addNumbers } from '../src/tools/basic.ts';
import { runSteps } from '../src/tools/long-task.ts';
import { textStats } from '../src/tools/text-stats.ts';
import { timeInZone } from '../src/tools/time.ts';

describe('timeInZone', () => {
  const instant = new Date('2026-03-29T00:30:00Z');
  it('formats the wall time with the offset of the zone', () => {
    expect(timeInZone('Europe/Paris', instant)).toEqual({ ok: true, text: '2026-03-29T01:30:00+01:00 (Europe/Paris)' });
    expect(timeInZone('America/St_Johns', instant)).toEqual({ ok: true, text: '2026-03-28T22:00:00-02:30 (America/St_Johns)' });
    expect(timeInZone('UTC', instant)).toEqual({ ok: true, text: '2026-03-29T00:30:00+00:00 (UTC)' });
  });
  it('follows daylight saving time', () => {
    expect(timeInZone('Europe/Paris', new Date('2026-03-29T01:30:00Z'))).toEqual({ ok: true, text: '2026-03-29T03:30:00+02:00 (Europe/Paris)' });
  });
  it('rejects an unknown zone with a message naming it', () => {
    const result = timeInZone('Nowhere/Atlantis', instant);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/Unknown time zone "Nowhere\/Atlantis"/);
  });
});

describe('addNumbers', () => {
  it('adds', () => expect(addNumbers(0.1, 0.2)).toBeCloseTo(0.3));
  it('refuses a non-finite sum', () => expect(() => addNumbers(Number.MAX_VALUE, Number.MAX_VALUE)).toThrow(/finite/));
});

describe('textStats', () => {
  it('counts code points, words and lines', () => {
    expect(textStats('héllo wörld 👋\nsecond  line\r\n')).toEqual({ characters: 28, words: 5, lines: 3, longestWord: 'second' });
  });
  it('handles the empty text', () => expect(textStats('')).toEqual({ characters: 0, words: 0, lines: 0, longestWord: '' }));
});

describe('runSteps', () => {
  it('reports every step and completes', async () => {
    const seen: number[] = [];
    const result = await runSteps(3, 0, new AbortController().signal, async (step) => void seen.push(step));
    expect(result).toEqual({ done: 3, cancelled: false });
    expect(seen).toEqual([1, 2, 3]);
  });
  it('stops as soon as the signal aborts', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const result = await runSteps(50, 5, controller.signal, async (step) => {
      seen.push(step);
      if (step === 2) controller.abort();
    });
    expect(result).toEqual({ done: 2, cancelled: true });
    expect(seen).toEqual([1, 2]);
  });
});

describe('loadConfig', () => {
  it('has defaults', () => expect(loadConfig({})).toEqual({ stepMs: 500, conformanceFixtures: false }));
  it('reads the variables', () =>
    expect(loadConfig({ EXAMPLE_STEP_MS: '20', EXAMPLE_CONFORMANCE_FIXTURES: 'TRUE' })).toEqual({ stepMs: 20, conformanceFixtures: true }));
  it('names the bad variable', () => {
    expect(() => loadConfig({ EXAMPLE_STEP_MS: 'fast' })).toThrow(/EXAMPLE_STEP_MS/);
    expect(() => loadConfig({ EXAMPLE_CONFORMANCE_FIXTURES: 'yes' })).toThrow(/EXAMPLE_CONFORMANCE_FIXTURES/);
  });
});
