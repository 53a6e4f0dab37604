/**
 * Asks the generator whether the committed `base/` matches `servers.json` (`--check` mode writes
 * nothing). A stale base makes the plan show the old rendering, so the plan warns about it.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { generateNodeFlags } from '../../generators/src/node-flags.ts';

const run = promisify(execFile);

/** This project's generator; `--root` points it at the tree to check. */
const GENERATOR_CLI = resolve(import.meta.dirname, '../../generators/src/cli.ts');

/** A warning when `npm run generate -- --check` fails for the tree at `root`, otherwise `undefined`. */
export async function baseFreshnessWarning(root: string): Promise<string | undefined> {
  try {
    // process.execPath is the Node 24 running this script; the generator needs the same.
    await run(process.execPath, [...generateNodeFlags(), GENERATOR_CLI, '--check', '--root', root], { cwd: root });
    return undefined;
  } catch (error) {
    const output = `${(error as { stderr?: string }).stderr ?? ''}${(error as { stdout?: string }).stdout ?? ''}`;
    const firstLine = output.trim().split('\n')[0] ?? '';
    return `base/ may not match servers.json (npm run generate -- --check failed${firstLine ? `: ${firstLine}` : ''}); the plan shows the committed base/`;
  }
}
