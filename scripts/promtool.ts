/**
 * Runs Debian's promtool (package `prometheus`; `npm run setup` installs it) for the tests: `check metrics` on a
 * scrape's text (the exposition format and its naming conventions), `check rules` and `test rules` on rule files.
 * Each returns promtool's exit code and output; a missing promtool fails with what to install.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** What a promtool run said. */
export interface PromtoolResult {
  code: number;
  output: string;
}

/** The promtool binary: on the PATH, or where Debian puts it. Throws when there is none. */
export function promtoolPath(): string {
  for (const dir of [...(process.env.PATH ?? '').split(delimiter), '/usr/bin']) {
    const file = join(dir, 'promtool');
    if (dir !== '' && existsSync(file)) return file;
  }
  throw new Error('promtool is not installed: npm run setup installs it (Debian: apt-get install prometheus)');
}

/** Runs promtool with `args`, feeding `stdin` when given. */
export function promtool(args: string[], stdin?: string): Promise<PromtoolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(promtoolPath(), args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
    child.stdin.end(stdin ?? '');
  });
}

/** `promtool check metrics` on a scrape: exit 0 when the text parses and follows the naming conventions. */
export const checkMetrics = (text: string): Promise<PromtoolResult> => promtool(['check', 'metrics'], text);

/** `promtool check rules <files>`. */
export const checkRules = (...files: string[]): Promise<PromtoolResult> => promtool(['check', 'rules', ...files]);

/** `promtool test rules <files>`: the rule unit tests. */
export const testRules = (...files: string[]): Promise<PromtoolResult> => promtool(['test', 'rules', ...files]);
