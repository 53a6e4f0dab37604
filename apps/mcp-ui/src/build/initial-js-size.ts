import { gzipSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';

/** What the build reports about the JavaScript the page loads before it can run. */
export interface InitialJsReport {
  files: string[];
  rawBytes: number;
  gzipBytes: number;
  budgetBytes: number;
}

interface ChunkLike {
  type: 'chunk' | 'asset';
  fileName: string;
  isEntry?: boolean;
  imports?: string[];
  code?: string;
}

/** The entry chunks and everything they import statically: what the browser must fetch at start. */
export function initialChunks(bundle: Record<string, ChunkLike>): ChunkLike[] {
  const seen = new Map<string, ChunkLike>();
  const visit = (chunk: ChunkLike | undefined) => {
    if (!chunk || chunk.type !== 'chunk' || seen.has(chunk.fileName)) return;
    seen.set(chunk.fileName, chunk);
    for (const name of chunk.imports ?? []) visit(bundle[name]);
  };
  for (const chunk of Object.values(bundle)) if (chunk.isEntry) visit(chunk);
  return [...seen.values()];
}

/**
 * Prints the gzipped size of the initial JavaScript after `vite build`, writes it to dist/initial-js.json
 * (the tests check it against the budget) and fails the build when it is over the budget.
 */
export function initialJsSizePlugin(options: { budgetBytes: number }): Plugin {
  let outDir = 'dist';
  return {
    name: 'mcp-ui-initial-js-size',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    writeBundle(_options, bundle) {
      const chunks = initialChunks(bundle as unknown as Record<string, ChunkLike>);
      const report: InitialJsReport = {
        files: chunks.map((c) => c.fileName),
        rawBytes: chunks.reduce((n, c) => n + Buffer.byteLength(c.code ?? ''), 0),
        gzipBytes: chunks.reduce((n, c) => n + gzipSync(c.code ?? '', { level: 9 }).length, 0),
        budgetBytes: options.budgetBytes,
      };
      writeFileSync(join(outDir, 'initial-js.json'), `${JSON.stringify(report, null, 2)}\n`);
      const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
      const line = `initial JavaScript: ${kb(report.gzipBytes)} gzipped (${kb(report.rawBytes)} raw) in ${report.files.length} file(s); budget ${kb(report.budgetBytes)}`;
      process.stdout.write(`\n${line}\n`);
      if (report.gzipBytes > report.budgetBytes) this.error(`initial JavaScript over budget: ${line}`);
    },
  };
}
