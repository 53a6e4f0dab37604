/**
 * Graceful shutdown of the real process: `node apps/mcp-example/src/index.ts` as a child, a slow call in
 * flight, SIGTERM. The call must complete, the process must exit 0, and new connections must be refused.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { connectClient, firstText, waitFor } from './helpers.ts';
import { freePort } from '../../../dev/processes.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));


let child: ChildProcessWithoutNullStreams | undefined;
afterEach(() => {
  if (child !== undefined && child.exitCode === null) child.kill('SIGKILL');
});

describe('SIGTERM', () => {
  it('lets an in-flight call finish, refuses new connections, exits 0', async () => {
    const port = await freePort();
    child = spawn(process.execPath, ['apps/mcp-example/src/index.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', SHUTDOWN_TIMEOUT_MS: '10000' },
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    await waitFor(() => stdout.includes('"msg":"listening"'), 15_000, 'the server to listen');

    const url = new URL(`http://127.0.0.1:${port}/mcp`);
    const client = await connectClient(url, '2026-07-28');
    const progress: number[] = [];
    const call = client.callTool({ name: 'long_task', arguments: { steps: 6, stepMs: 150 } }, { onprogress: (update) => progress.push(update.progress) });
    await waitFor(() => progress.length >= 1, 5_000, 'the slow call to be running');

    child.kill('SIGTERM');
    await waitFor(() => stdout.includes('"msg":"shutting down"'), 5_000, 'the shutdown to start');
    // New connections are refused while the call drains.
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();

    const result = await call;
    expect(firstText(result)).toBe('Completed 6 steps');
    expect(progress).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await exited).toBe(0);
    expect(stdout).toMatch(/"drained":true,"msg":"stopped"/);
    await client.close().catch(() => undefined);
  });
});
