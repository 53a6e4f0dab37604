/**
 * Asks the generator whether the committed `base/` matches `servers.json` (`--check` mode writes
 * nothing). A stale base makes the plan show the old rendering, so the plan warns about it.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A warning when `npm run generate -- --check` fails in `repo`, otherwise `undefined`. */
export async function baseFreshnessWarning(repo: string): Promise<string | undefined> {
  try {
    // process.execPath is the Node 24 running this script; the generator needs the same.
    await run(process.execPath, [join(repo, 'generators/src/cli.ts'), '--check'], { cwd: repo });
    return undefined;
  } catch (error) {
    const output = `${(error as { stdout?: string }).stdout ?? ''}${(error as { stderr?: string }).stderr ?? ''}`;
    const firstLine = output.trim().split('\n')[0] ?? '';
    return `base/ is not up to date with servers.json (run npm run generate)${firstLine ? `: ${firstLine}` : ''}`;
  }
}
