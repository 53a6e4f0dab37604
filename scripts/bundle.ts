/**
 * Bundles one app's server into a single self-contained ESM file: the program its container image runs
 * (`node <bundle>`, with no node_modules and no TypeScript beside it).
 *
 * Usage: node scripts/bundle.ts <app> [--out <file> | --image <dir>]
 *   <app>    a folder of apps/: mcp-example, mcp-hubspot, mcp-mssql, mcp-ui, token-refresh, or a new server
 *   --out    where to write the bundle (default apps/<app>/dist/server.mjs; see appBundleSpec; dist/ is gitignored)
 *   --image  lay out everything the app's image holds in <dir>, entered through <dir>/main.mjs (what the build
 *            stage of apps/Dockerfile, the one image recipe, runs; mcp-ui's page must be built first)
 * Exit codes: 0 written, 1 bundling failed, 2 bad arguments.
 *
 * Everything is bundled, the workspace packages and every npm dependency, for Node 24 (rolldown, platform
 * node): an image then holds one file instead of sources plus node_modules, and Node neither strips types nor
 * resolves thousands of files at start (mcp-example idles at 76 MB instead of 114 MB: packages/mcp-runtime/
 * README.md, "Memory"). Node built-ins stay imports; CommonJS dependencies get their `require` from rolldown's
 * own `createRequire(import.meta.url)` shim, so no banner is needed. For mcp-ui only the server is bundled; its
 * page is the Vite build (`npm run build:ui`). `readImageRecipe` reads what apps/Dockerfile's runtime stage holds
 * and runs, for the test that starts each image's program (scripts/test/bundle.test.ts) and for `npm run bench:mcp`.
 */
import { isBuiltin } from 'node:module';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cp, mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { build, type Plugin } from 'rolldown';

const REPO_ROOT = resolve(import.meta.dirname, '..');

/** How one app is bundled. */
export interface AppBundleSpec {
  /** The server's entry point, relative to the repository root. */
  entry: string;
  /** Default output file, relative to the repository root (under a gitignored dist/). */
  defaultOut: string;
  /** Where the bundle sits in the image, relative to its WORKDIR (the image is entered through main.mjs). */
  imageBundle: string;
  /** Built folders the image also holds: `from` relative to the repository root, `to` relative to WORKDIR. */
  imageCopies: Array<{ from: string; to: string }>;
}

/** The file every image's CMD runs. */
export const IMAGE_ENTRY = 'main.mjs';

/**
 * Apps that differ from the rule (entry `apps/<app>/src/index.ts`, bundle `apps/<app>/dist/server.mjs`).
 * mcp-ui: the server only; it finds its page at `new URL('../../dist/', import.meta.url)` (src/server/config.ts),
 * which in a bundle is relative to the bundle itself, so the bundle sits two folders below the app folder and
 * that path names the app's `dist/` (the Vite build). token-refresh: a one-shot program, not a server.
 */
const SPECIAL: Record<string, AppBundleSpec> = {
  'mcp-ui': {
    entry: 'apps/mcp-ui/src/server/index.ts',
    defaultOut: 'apps/mcp-ui/server/dist/server.mjs',
    imageBundle: 'server/dist/server.mjs',
    imageCopies: [{ from: 'apps/mcp-ui/dist', to: 'dist' }],
  },
  'token-refresh': { entry: 'apps/token-refresh/src/index.ts', defaultOut: 'apps/token-refresh/dist/token-refresh.mjs', imageBundle: IMAGE_ENTRY, imageCopies: [] },
};

/** The name of a folder in apps/ (a new server copied from mcp-example needs no entry here). */
export type AppName = string;

/** How `app` is bundled; throws when apps/<app> has no such entry point (under `root`, this repository by default). */
export function appBundleSpec(app: AppName, root = REPO_ROOT): AppBundleSpec {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(app)) throw new Error(`"${app}" is not the name of a folder in apps/`);
  const spec = SPECIAL[app] ?? { entry: `apps/${app}/src/index.ts`, defaultOut: `apps/${app}/dist/server.mjs`, imageBundle: IMAGE_ENTRY, imageCopies: [] };
  if (!existsSync(resolve(root, spec.entry))) throw new Error(`${app}: no ${spec.entry}`);
  return spec;
}

/** The apps that build a container image (each with apps/Dockerfile): the workspaces of apps/. */
export function imageApps(): AppName[] {
  return readdirSync(resolve(REPO_ROOT, 'apps'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(resolve(REPO_ROOT, 'apps', entry.name, 'package.json')))
    .map((entry) => entry.name)
    .sort();
}

/** What `bundleApp` wrote. */
export interface BundleResult {
  app: AppName;
  /** Absolute path of the bundle. */
  file: string;
  bytes: number;
}

/** A module of this repository or of the tree bundled from (apps/, packages/), not a dependency nor rolldown's own runtime. */
function isOwnSource(id: string, root: string): boolean {
  return [...new Set([REPO_ROOT, root])].some((base) => {
    const path = relative(base, id);
    return /^(apps|packages)[\\/]/.test(path) && !/[\\/]node_modules[\\/]/.test(path);
  });
}

const LAZY_REQUIRE = 'const require = createRequire(import.meta.url);';

/**
 * Our own sources load a CommonJS dependency lazily through `const require = createRequire(import.meta.url)`
 * (mcp-mssql's driver loader: tedious only loads on first use). Left alone, that `require('mssql')` would run
 * against the image's empty node_modules. Dropping the local binding turns it into a plain `require` call,
 * which rolldown bundles and still evaluates lazily (its CommonJS wrapper runs on the first call). Any other
 * form of createRequire in our sources fails the build instead of leaving a dependency out silently.
 */
export function bundleLazyRequires(root = REPO_ROOT): Plugin {
  return {
    name: 'bundle-lazy-requires',
    transform: {
      filter: { code: { include: /createRequire\(/ } },
      handler(code, id) {
        if (!isOwnSource(id, root)) return null;
        const uses = code.match(/createRequire\(/g)?.length ?? 0;
        const bound = code.split(LAZY_REQUIRE).length - 1;
        if (uses !== bound) {
          throw new Error(
            `${relative(REPO_ROOT, id)}: createRequire is used in a form the bundler cannot follow; write \`${LAZY_REQUIRE}\` and call require('<package>') with a literal name`,
          );
        }
        return { code: code.replaceAll(LAZY_REQUIRE, ''), map: null };
      },
    },
  };
}

/**
 * Optional packages a dependency imports only for a feature no app uses, each loaded with `import()` inside a
 * try/catch that turns a missing package into its own clear error. The bundle gets a module that fails to load
 * in their place, so it still needs nothing but Node and the feature fails as it would without the package.
 * `@node-rs/xxhash`: @redis/client's `digest()` (client-side digests for SET IFDEQ), which the UI does not call.
 */
export const UNUSED_OPTIONAL_IMPORTS = ['@node-rs/xxhash'] as const;
const UNUSED_PREFIX = '\0unused-optional:';

export function stubUnusedOptionalImports(): Plugin {
  return {
    name: 'stub-unused-optional-imports',
    resolveId(source) {
      return (UNUSED_OPTIONAL_IMPORTS as readonly string[]).includes(source) ? `${UNUSED_PREFIX}${source}` : null;
    },
    load(id) {
      if (!id.startsWith(UNUSED_PREFIX)) return null;
      return `throw new Error(${JSON.stringify(`${id.slice(UNUSED_PREFIX.length)} is not in this bundle (scripts/bundle.ts, UNUSED_OPTIONAL_IMPORTS)`)});`;
    },
  };
}

/**
 * Bundles `app` into `outFile` (one ESM file); throws when the bundle would still need anything but Node. `root`:
 * the tree whose apps/ holds it (a copy of this repository whose node_modules resolve here), this one by default.
 */
export async function bundleApp(app: AppName, outFile?: string, root = REPO_ROOT): Promise<BundleResult> {
  const spec = appBundleSpec(app, root);
  const file = resolve(outFile ?? resolve(root, spec.defaultOut));
  const output = await build({
    input: resolve(root, spec.entry),
    platform: 'node',
    cwd: root,
    // Node's type stripping reads no tsconfig, and the image's build stage has none: same output everywhere.
    tsconfig: false,
    transform: { target: 'node24' },
    plugins: [bundleLazyRequires(root), stubUnusedOptionalImports()],
    logLevel: 'warn',
    // Not minified: measured, minifying saves under 3 MB of RSS (mcp-example, mcp-mssql) and costs readable stacks.
    output: { file, format: 'esm', codeSplitting: false, sourcemap: false },
  });
  const [chunk, ...more] = output.output;
  if (chunk?.type !== 'chunk' || more.some((item) => item.type === 'chunk')) {
    throw new Error(`${app}: expected one JavaScript file, got ${output.output.map((item) => item.fileName).join(', ')}`);
  }
  // A dynamic import() of a module inlined into this one names the bundle itself.
  const outside = [...chunk.imports, ...chunk.dynamicImports].filter((name) => !isBuiltin(name) && name !== chunk.fileName);
  if (outside.length > 0) throw new Error(`${app}: the bundle still imports ${outside.join(', ')}`);
  return { app, file, bytes: (await stat(file)).size };
}

/**
 * Lays out in `dir` everything `app`'s image holds: the bundle at its `imageBundle` place, the built folders of
 * `imageCopies` (`sources` may put one elsewhere, e.g. a test's own page build), and main.mjs, the entry of every
 * image (the bundle itself, or one line importing it where the app expects its bundle deeper).
 */
export async function layoutImage(app: AppName, dir: string, sources: Record<string, string> = {}, root = REPO_ROOT): Promise<BundleResult> {
  const spec = appBundleSpec(app, root);
  for (const copy of spec.imageCopies) {
    const from = sources[copy.from] ?? resolve(root, copy.from);
    if (!existsSync(from)) throw new Error(`${app}: ${copy.from} is not built (its image needs it; run npm run build -w apps/${app})`);
    await cp(from, join(dir, copy.to), { recursive: true });
  }
  const result = await bundleApp(app, join(dir, spec.imageBundle), root);
  if (spec.imageBundle !== IMAGE_ENTRY) {
    await mkdir(dirname(join(dir, IMAGE_ENTRY)), { recursive: true });
    await writeFile(join(dir, IMAGE_ENTRY), `import './${spec.imageBundle}';\n`);
  }
  return result;
}

/** What the runtime (last) stage of apps/Dockerfile holds and runs, read from the Dockerfile itself. */
export interface ImageRecipe {
  /** FROM of the runtime stage. */
  from: string;
  /** ENV of the runtime stage. */
  env: Record<string, string>;
  workdir: string;
  user: string;
  /** `COPY --from=build <from> <to>`: `from` in the build stage, `to` relative to `workdir`. */
  copies: Array<{ from: string; to: string }>;
  /** CMD, exec form. */
  cmd: string[];
  /** The ARG names of the build stage. */
  buildArgs: string[];
  /** The RUN commands of the build stage. */
  buildRuns: string[];
}

/** The one image recipe. */
export const DOCKERFILE = resolve(REPO_ROOT, 'apps/Dockerfile');

/** Instructions of a Dockerfile, continuation lines joined, comments dropped. */
function dockerInstructions(text: string): Array<{ keyword: string; args: string }> {
  const lines = text.replace(/\\\n/g, ' ').split('\n').map((line) => line.trim());
  return lines
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
}

/** Reads the build and runtime stages of the recipe (the subset of Dockerfile syntax it uses). */
export function readImageRecipe(dockerfile = DOCKERFILE): ImageRecipe {
  const instructions = dockerInstructions(readFileSync(dockerfile, 'utf8'));
  const starts = instructions.flatMap((instruction, index) => (instruction.keyword === 'FROM' ? [index] : []));
  const lastStart = starts.at(-1);
  if (starts.length < 2 || lastStart === undefined) throw new Error(`${dockerfile}: expected a build stage and a runtime stage`);
  const build = instructions.slice(0, lastStart);
  const runtime = instructions.slice(lastStart);
  const recipe: ImageRecipe = {
    from: runtime[0]!.args,
    env: {},
    workdir: '/',
    user: 'root',
    copies: [],
    cmd: [],
    buildArgs: build.filter((i) => i.keyword === 'ARG').map((i) => i.args.split('=')[0]!),
    buildRuns: build.filter((i) => i.keyword === 'RUN').map((i) => i.args),
  };
  for (const { keyword, args } of runtime.slice(1)) {
    if (keyword === 'ENV') {
      for (const match of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|\S*)/g)) recipe.env[match[1]!] = match[3] ?? match[2]!;
    } else if (keyword === 'WORKDIR') recipe.workdir = args;
    else if (keyword === 'USER') recipe.user = args;
    else if (keyword === 'CMD') recipe.cmd = JSON.parse(args) as string[];
    else if (keyword === 'COPY') {
      const match = /^--from=build\s+(\S+)\s+(\S+)$/.exec(args);
      if (!match) throw new Error(`${dockerfile}: the runtime stage copies only from the build stage, got COPY ${args}`);
      recipe.copies.push({ from: match[1]!, to: match[2]! });
    } else if (keyword !== 'ARG' && keyword !== 'EXPOSE') throw new Error(`${dockerfile}: ${keyword} in the runtime stage is not understood by readImageRecipe`);
  }
  return recipe;
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { out: { type: 'string' }, image: { type: 'string' } } });
  } catch (error) {
    process.stderr.write(`bundle: ${(error as Error).message}\n`);
    return 2;
  }
  const [app, ...extra] = parsed.positionals;
  const usage = `usage: node scripts/bundle.ts <${imageApps().join('|')}> [--out <file> | --image <dir>]\n`;
  if (app === undefined || extra.length > 0 || (parsed.values.out !== undefined && parsed.values.image !== undefined)) {
    process.stderr.write(usage);
    return 2;
  }
  try {
    appBundleSpec(app);
  } catch (error) {
    process.stderr.write(`bundle: ${(error as Error).message}\n${usage}`);
    return 2;
  }
  try {
    const result = parsed.values.image !== undefined ? await layoutImage(app, resolve(parsed.values.image)) : await bundleApp(app, parsed.values.out);
    const shown = result.file.startsWith(REPO_ROOT + sep) ? relative(REPO_ROOT, result.file) : result.file;
    process.stdout.write(`${app}: ${shown} (${(result.bytes / 1024).toFixed(0)} KB)\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`bundle: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
