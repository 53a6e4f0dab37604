/**
 * npm run plan -- <git-ref> [--format text|markdown] [--output <file>] [--repo <dir>]
 *
 * Shows, per environment (overlays/<env>/), which objects the working tree adds, changes and
 * removes compared with <git-ref>: both sides rendered with `kubectl kustomize`, objects matched by
 * kind/namespace/name, changes as unified YAML diffs. Markdown is meant for a pull-request comment.
 *
 * Exit codes: 0 plan written (with or without changes), 1 an environment failed to render or
 * the ref cannot be read, 2 bad arguments.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatMarkdown, formatText } from './format.ts';
import { baseFreshnessWarning } from './freshness.ts';
import { planAgainstRef } from './plan.ts';

const USAGE = 'usage: npm run plan -- <git-ref> [--format text|markdown] [--output <file>] [--repo <dir>]';

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'text' },
      output: { type: 'string' },
      repo: { type: 'string', default: process.cwd() },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return undefined;
  if (positionals.length !== 1) throw new Error('give exactly one git ref, e.g. origin/main');
  if (values.format !== 'text' && values.format !== 'markdown') {
    throw new Error(`--format must be text or markdown, not "${values.format}"`);
  }
  return { ref: positionals[0]!, format: values.format, output: values.output, repo: resolve(values.repo) };
}

async function main(): Promise<number> {
  let options: ReturnType<typeof parse>;
  try {
    options = parse(process.argv.slice(2));
  } catch (error) {
    console.error(`plan: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!options) {
    console.log(USAGE);
    return 0;
  }
  const [warning, plans] = await Promise.all([
    baseFreshnessWarning(options.repo),
    planAgainstRef(options.repo, options.ref),
  ]);
  const header = { ref: options.ref, warnings: warning ? [warning] : [] };
  const text = options.format === 'markdown' ? formatMarkdown(header, plans) : formatText(header, plans);
  if (options.output) await writeFile(options.output, text);
  else process.stdout.write(text);
  for (const plan of plans.filter((p) => p.error)) console.error(`plan: ${plan.environment}: ${plan.error}`);
  return plans.some((p) => p.error) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`plan: ${(error as Error).message}`);
    process.exit(1);
  },
);
