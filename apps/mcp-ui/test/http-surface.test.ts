/** What the UI server serves besides sign-in: the built page, security headers, probes, and the initial-JS budget. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkMetrics } from '../../../scripts/promtool.ts';
import { startStack, type Stack } from './support/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

describe('the built page', () => {
  it('is served at / (the gateway strips /ui) with its assets under /assets, and at /ui/ directly', async () => {
    const index = await fetch(new URL('/', stack.ui.url));
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const html = await index.text();
    const script = /src="(\/ui\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    // No inline script: the CSP forbids it.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const viaGateway = await fetch(new URL(script!, stack.publicUrl));
    expect(viaGateway.status).toBe(200);
    expect(viaGateway.headers.get('content-type')).toContain('text/javascript');
    expect(viaGateway.headers.get('cache-control')).toContain('immutable');
    const direct = await fetch(new URL(script!.replace('/ui', ''), stack.ui.url));
    expect(direct.status).toBe(200);
  });

  it('sends the security headers on every response', async () => {
    for (const path of ['/', '/api/me', '/healthz', '/nope']) {
      const response = await fetch(new URL(path, stack.ui.url));
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('same-origin');
    }
  });

  it('refuses paths outside the build and unknown routes', async () => {
    for (const path of ['/assets/../../package.json', '/assets/%2e%2e/%2e%2e/package.json', '/api/unknown', '/api/mcp/Bad_Name']) {
      expect((await fetch(new URL(path, stack.ui.url))).status).toBe(404);
    }
    expect((await fetch(new URL('/auth/logout', stack.ui.url))).status).toBe(405);
  });

  it('answers the probes', async () => {
    expect((await fetch(new URL('/healthz', stack.ui.url))).status).toBe(200);
    const ready = await fetch(new URL('/readyz', stack.ui.url));
    expect(ready.status).toBe(200);
  });

  it('serves /metrics on METRICS_PORT only: never on the public port, nor through the gateway; promtool accepts it', async () => {
    await fetch(new URL('/healthz', stack.ui.url));
    for (const url of [new URL('/metrics', stack.ui.url), new URL('/ui/metrics', stack.publicUrl)]) expect((await fetch(url)).status, String(url)).toBe(404);
    const text = await (await fetch(stack.ui.metricsUrl!)).text();
    expect(text).toMatch(/^mcp_ui_http_requests_total\{route="healthz",status="200"\} [1-9]/m);
    expect(text).toMatch(/^mcp_ui_http_requests_total\{route="page",status="404"\} [1-9]/m);
    expect(text).toMatch(/^process_resident_memory_bytes /m);
    expect(await checkMetrics(text)).toEqual({ code: 0, output: '' });
    expect((await fetch(new URL('/healthz', stack.ui.metricsUrl))).status).toBe(404);
  });

  it('keeps the initial JavaScript within 150 KB gzipped', () => {
    const report = JSON.parse(readFileSync(fileURLToPath(new URL('../dist/initial-js.json', import.meta.url)), 'utf8')) as { gzipBytes: number; budgetBytes: number };
    expect(report.budgetBytes).toBe(150 * 1024);
    expect(report.gzipBytes).toBeGreaterThan(10 * 1024);
    expect(report.gzipBytes).toBeLessThanOrEqual(report.budgetBytes);
  });
});
