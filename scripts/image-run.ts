/**
 * Starts an app as its container image runs it, without a Docker engine: the files the one recipe's build stage
 * lays out (`layoutImage`) in a folder standing in for WORKDIR, then the runtime stage's CMD there with its ENV and
 * the environment given (the rendered one, `image-env.ts`). Nothing else is copied and no node_modules is above the
 * folder, so a bundle that still needed a package fails as the image would. Used by the image test
 * (`scripts/test/bundle.test.ts`) and by `npm run tools:lock` / `npm run tools:check`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { layoutImage, readImageRecipe, type AppName, type ImageRecipe } from './bundle.ts';

/** An image's files under a folder standing in for its WORKDIR. */
export interface ImageFiles {
  app: AppName;
  recipe: ImageRecipe;
  workdir: string;
}

/**
 * Lays out `app`'s image in `workdir` (empty, outside any tree with node_modules). `sources` replaces built folders
 * the image copies (the UI's page); `root` is the tree whose apps/ holds the app.
 */
export async function layoutImageFiles(app: AppName, workdir: string, options: { sources?: Record<string, string>; root?: string } = {}): Promise<ImageFiles> {
  await layoutImage(app, workdir, options.sources, options.root);
  return { app, recipe: readImageRecipe(), workdir };
}

/** A process running an image's CMD, with its output so far (stdout and stderr). */
export interface RunningImage {
  child: ChildProcess;
  output: () => string;
}

/** The process environment: PATH, the image's ENV, then `env` (nothing else of the caller's environment). */
export function imageProcessEnv(files: ImageFiles, env: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, ...files.recipe.env, ...env };
}

/** Runs CMD in the workdir. */
export function runImage(files: ImageFiles, env: Record<string, string>): RunningImage {
  const [command, ...args] = files.recipe.cmd;
  if (command !== 'node') throw new Error(`the recipe's CMD runs ${command}; only node is started here`);
  const child = spawn(process.execPath, args, { cwd: files.workdir, env: imageProcessEnv(files, env), stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  return { child, output: () => text };
}

/** A started server: its process and the address its "listening" log line gave. */
export interface StartedImage extends RunningImage {
  baseUrl: string;
  /** The JSON log lines so far. */
  logLines: () => Array<Record<string, unknown>>;
}

function jsonLines(text: string): Array<Record<string, unknown>> {
  return text.split('\n').flatMap((line) => {
    try {
      const value = JSON.parse(line) as unknown;
      return value !== null && typeof value === 'object' ? [value as Record<string, unknown>] : [];
    } catch {
      return [];
    }
  });
}

/**
 * Runs CMD on loopback (`HOST=127.0.0.1`, `PORT=0` unless `env` says otherwise) and waits for the JSON log line
 * that says it listens, whose port gives the address. Throws with the output when it exits or stays silent.
 */
export async function startImage(files: ImageFiles, env: Record<string, string>, timeoutMs = 30_000): Promise<StartedImage> {
  const running = runImage(files, { HOST: '127.0.0.1', PORT: '0', ...env });
  const logLines = () => jsonLines(running.output());
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const listening = logLines().find((line) => /listening/.test(String(line.msg ?? '')) && line.port !== undefined);
    if (listening) return { ...running, logLines, baseUrl: `http://127.0.0.1:${String(listening.port)}` };
    if (running.child.exitCode !== null || Date.now() > deadline) {
      running.child.kill('SIGKILL');
      throw new Error(`${files.app} did not start (exit ${running.child.exitCode}):\n${running.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** SIGTERM, then the exit code and signal (SIGKILL after `timeoutMs` if it does not stop). */
export async function stopImage(running: RunningImage, timeoutMs = 15_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (running.child.exitCode !== null || running.child.signalCode !== null) return { code: running.child.exitCode, signal: running.child.signalCode };
  const exited = once(running.child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  running.child.kill('SIGTERM');
  const timer = setTimeout(() => running.child.kill('SIGKILL'), timeoutMs);
  const [code, signal] = await exited;
  clearTimeout(timer);
  return { code, signal };
}
