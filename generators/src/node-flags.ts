/**
 * The Node flags `npm run generate` runs with, read from package.json (their one home), for the programs that start
 * the generator themselves (the plan's freshness check, the benchmarks): a young generation of 4 MiB semi-spaces
 * keeps a large fleet's peak memory down at the same speed (docs/benchmarks.md, `npm run bench:generate`).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const PACKAGE_JSON = resolve(import.meta.dirname, '../../package.json');

export function generateNodeFlags(): string[] {
  const script = (JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { scripts: { generate: string } }).scripts.generate;
  return script.split(/\s+/).slice(1).filter((word) => word.startsWith('--'));
}
