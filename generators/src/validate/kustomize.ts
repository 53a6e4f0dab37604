/** Builds a kustomization with a `kustomize` binary when present, else `kubectl kustomize`, and parses the output. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../render/meta.ts';

const run = promisify(execFile);

async function available(command: string, args: string[]): Promise<boolean> {
  try {
    await run(command, args, { timeout: 20_000 });
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ENOENT' && typeof (error as NodeJS.ErrnoException).code !== 'string';
  }
}

let tool: Promise<string[]> | undefined;

/** The command that builds a kustomization: `kustomize build` or `kubectl kustomize`. */
export function kustomizeCommand(): Promise<string[]> {
  tool ??= (async () => {
    if (await available('kustomize', ['version'])) return ['kustomize', 'build'];
    if (await available('kubectl', ['version', '--client'])) return ['kubectl', 'kustomize'];
    throw new Error('neither `kustomize` nor `kubectl` was found on the PATH; install one of them to build kustomizations');
  })();
  return tool;
}

/** The objects `dir`'s kustomization builds to. Throws with kustomize's message when the build fails. */
export async function kustomizeBuild(dir: string): Promise<KubeObject[]> {
  const [command, ...args] = await kustomizeCommand();
  let stdout: string;
  try {
    ({ stdout } = await run(command!, [...args, dir], { maxBuffer: 512 * 1024 * 1024, timeout: 120_000 }));
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`${command} ${args.join(' ')} ${dir} failed: ${stderr || (error as Error).message}`);
  }
  return parseAllDocuments(stdout)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`kustomize output is not valid YAML: ${doc.errors[0]!.message}`);
      return doc.toJSON() as KubeObject | null;
    })
    .filter((o): o is KubeObject => o !== null);
}
