/** Metrics: an app's own registry rendered with the process's default metrics. */
import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { checkMetrics } from '../../../scripts/promtool.ts';
import { Counter, createRegistry, Gauge, METRICS_CONTENT_TYPE, renderMetrics, serveMetrics } from '../src/index.ts';

describe('renderMetrics', () => {
  it("renders the registry's metrics and the process's: CPU, memory, heap, event loop, GC, heap limit", async () => {
    const registry = createRegistry();
    new Counter({ name: 'test_things_total', help: 'Things.', labelNames: ['kind'], registers: [registry] }).inc({ kind: 'a' }, 2);
    const text = await renderMetrics(registry);
    expect(text).toContain('test_things_total{kind="a"} 2');
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'process_start_time_seconds', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_p99_seconds', 'nodejs_gc_duration_seconds', 'nodejs_heap_size_limit_bytes']) {
      expect(text, name).toMatch(new RegExp(`^# TYPE ${name} `, 'm'));
    }
    expect(text.endsWith('\n')).toBe(true);
    // Two registries in one process (two apps in a test) keep their own series.
    const other = createRegistry();
    expect(await renderMetrics(other)).not.toContain('test_things_total');
  });

  it('serves the text over HTTP, and a failing collector as 500 without its message', async () => {
    const registry = createRegistry();
    let fail = false;
    new Gauge({ name: 'test_flaky', help: 'Fails on demand.', registers: [registry], collect() { if (fail) throw new Error('secret detail'); this.set(1); } });
    const server = createServer((_req, res) => void serveMetrics(res, registry));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/metrics`;
    try {
      const ok = await fetch(url);
      expect(ok.headers.get('content-type')).toBe(METRICS_CONTENT_TYPE);
      expect(await ok.text()).toContain('test_flaky 1');
      fail = true;
      const failed = await fetch(url);
      expect(failed.status).toBe(500);
      expect(await failed.text()).not.toContain('secret detail');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('promtool check metrics', () => {
  it("passes on the process's metrics and an app's own (Debian's promtool, the linter Prometheus ships)", async () => {
    const registry = createRegistry();
    new Counter({ name: 'test_things_total', help: 'Things.', labelNames: ['kind'], registers: [registry] }).inc({ kind: 'a' });
    const result = await checkMetrics(await renderMetrics(registry));
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
    // The same linter refuses what it should: a gauge named like a counter.
    const bad = await checkMetrics('# HELP things_total Things.\n# TYPE things_total gauge\nthings_total 1\n');
    expect(bad.code).not.toBe(0);
    expect(bad.output).toContain('non-counter metrics should not have "_total" suffix');
  });
});
