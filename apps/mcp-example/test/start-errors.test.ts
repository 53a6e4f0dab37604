/**
 * A start that cannot succeed ends with one JSON error line naming the problem and exit code 1, never a stack
 * trace: a bad runtime setting, a bad setting of the app itself, a port already in use.
 */
import { execFile } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const run = promisify(execFile);

async function start(env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  try {
    await run(process.execPath, ['apps/mcp-example/src/index.ts'], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', ...env }, timeout: 15_000 });
    return { code: 0, stderr: '' };
  } catch (error) {
    const failed = error as { code: number; stderr: string };
    return { code: failed.code, stderr: failed.stderr };
  }
}

function expectOneErrorLine(stderr: string, message: string): void {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'error', msg: 'cannot start', error: message });
}

describe('a start that cannot succeed', () => {
  it('names a bad runtime setting', async () => {
    const { code, stderr } = await start({ PORT: 'abc' });
    expect(code).toBe(1);
    expectOneErrorLine(stderr, 'PORT must be a whole number, got "abc"');
  });

  it("names a bad setting of the app's own", async () => {
    const { code, stderr } = await start({ PORT: '0', EXAMPLE_CONFORMANCE_FIXTURES: 'maybe' });
    expect(code).toBe(1);
    expectOneErrorLine(stderr, 'EXAMPLE_CONFORMANCE_FIXTURES must be true or false, got "maybe"');
  });

  it('says when the port is taken', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as AddressInfo;
    try {
      const { code, stderr } = await start({ PORT: String(port) });
      expect(code).toBe(1);
      expectOneErrorLine(stderr, `listen EADDRINUSE: address already in use 127.0.0.1:${port}`);
    } finally {
      holder.close();
    }
  });
});
