/**
 * The official MCP conformance suite (@modelcontextprotocol/conformance, its `conformance server` CLI)
 * against mcp-example started in-process with the suite's fixtures, once on the runtime's fast path and once
 * on the SDK's own handler (MCP_ENDPOINT=sdk), with the same baseline. Every active server scenario runs;
 * conformance-baseline.json lists the expected failures with their reasons. The test fails on a failure
 * not in the baseline and on a baseline entry that passes (so the baseline cannot rot).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMcpApp, type EndpointKind, type RunningMcpApp } from '@mcp-gateway/mcp-runtime';
import { createApp } from '../src/app.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = join(ROOT, 'node_modules/@modelcontextprotocol/conformance/dist/index.js');
const BASELINE = fileURLToPath(new URL('../conformance-baseline.json', import.meta.url));

/** One scenario line of the CLI summary, e.g. "✗ tools-call-error: 0 passed, 1 failed". */
interface ScenarioResult {
  name: string;
  passed: number;
  failed: number;
}

/** Parses the CLI's summary block. */
export function parseSummary(output: string): ScenarioResult[] {
  const start = output.indexOf('=== SUMMARY ===');
  const results: ScenarioResult[] = [];
  for (const line of output.slice(start === -1 ? 0 : start).split('\n')) {
    const match = /^[✓✗]\s+(\S+):\s+(\d+) passed, (\d+) failed/u.exec(line.trim());
    if (match) results.push({ name: match[1]!, passed: Number(match[2]), failed: Number(match[3]) });
  }
  return results;
}

describe.each<EndpointKind>(['fast', 'sdk'])('official conformance suite (server scenarios), %s endpoint', (endpoint) => {
  let app: RunningMcpApp;
  let workDir: string;

  beforeAll(async () => {
    app = await startMcpApp(createApp({ conformanceFixtures: true, stepMs: 10 }), { port: 0, host: '127.0.0.1', logLevel: 'error', endpoint });
    workDir = await mkdtemp(join(tmpdir(), 'mcp-conformance-'));
  });
  afterAll(async () => {
    await app.close();
    await rm(workDir, { recursive: true, force: true });
  });

  it('passes every scenario except the documented baseline', async () => {
    // The suite checks localhost DNS-rebinding protection, so it must see the server as "localhost".
    const url = `http://localhost:${app.port}/mcp`;
    let output: string;
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, 'server', '--url', url], {
        cwd: workDir,
        timeout: 60_000,
        maxBuffer: 32 * 1024 * 1024,
      });
      output = stdout + stderr;
    } catch (error) {
      // The CLI exits 1 when a scenario fails; the summary is still on stdout.
      const failed = error as { stdout?: string; stderr?: string };
      output = (failed.stdout ?? '') + (failed.stderr ?? '');
    }
    const results = parseSummary(output);
    expect(results.length, `no summary in the CLI output:\n${output.slice(-2000)}`).toBeGreaterThan(20);

    const baseline = JSON.parse(await readFile(BASELINE, 'utf8')) as { expectedFailures: Record<string, string> };
    const expected = new Set(Object.keys(baseline.expectedFailures));
    const failing = results.filter((result) => result.failed > 0).map((result) => result.name);
    const unexpectedFailures = failing.filter((name) => !expected.has(name));
    const staleBaseline = [...expected].filter((name) => !failing.includes(name));
    expect(unexpectedFailures, 'scenarios failing that are not in conformance-baseline.json').toEqual([]);
    expect(staleBaseline, 'baseline entries that no longer fail (remove them)').toEqual([]);
    expect(results.find((result) => result.name === 'tools-call-with-progress')?.passed).toBeGreaterThan(0);
  });
});
