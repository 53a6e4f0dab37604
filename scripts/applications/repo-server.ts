/**
 * What Argo CD's repo server renders for an Application of this repository, with the real `kubectl kustomize`.
 * With `spec.source.kustomize.components` it runs `kustomize edit add component <c>...` in the Application's
 * folder of its checkout and then `kustomize build <path>` (util/kustomize/kustomize.go, Argo CD v3.5). Here the
 * edit is made on a scratch copy of that folder, with everything else of the tree linked in place, so relative
 * paths resolve as in the checkout and the tree itself is never written.
 */
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { parseDocument } from 'yaml';
import { kustomizeBuild } from '../../generators/src/index.ts';
import type { Application, KubeObject } from './applicationsets.ts';

const KUSTOMIZE_OPTIONS = new Set(['components']);

/** A scratch tree mirroring `root`, with `path` as real folders (its files copied) and the rest symlinked. */
async function mirror(root: string, path: string, scratch: string): Promise<void> {
  const segments = path.split('/').filter(Boolean);
  for (let depth = 0; depth <= segments.length; depth++) {
    const rel = segments.slice(0, depth).join('/');
    const next = segments[depth];
    await mkdir(join(scratch, rel), { recursive: true });
    for (const entry of await readdir(join(root, rel), { withFileTypes: true })) {
      if (entry.name === next) continue;
      const from = join(root, rel, entry.name);
      const to = join(scratch, rel, entry.name);
      // The Application's own folder gets copies of its files (the edit writes one); the rest stays linked.
      if (depth === segments.length && entry.isFile()) await copyFile(from, to);
      else await symlink(from, to);
    }
  }
}

/** `kustomize edit add component`: append each path not yet listed, refusing one that does not exist. */
async function addComponents(appDir: string, components: string[]): Promise<void> {
  const file = join(appDir, 'kustomization.yaml');
  const doc = parseDocument(await readFile(file, 'utf8'));
  const listed = (doc.get('components') as { toJSON(): string[] } | undefined)?.toJSON() ?? [];
  for (const component of components) {
    const target = posix.normalize(posix.join(appDir, component));
    if (!(await stat(target).then((s) => s.isDirectory(), () => false))) throw new Error(`kustomize edit add component ${component}: no such folder from ${appDir}`);
    if (!listed.includes(component)) listed.push(component);
  }
  doc.set('components', listed);
  await writeFile(file, doc.toString());
}

/** The folder the repo server builds for `app`: the source path itself, or a scratch copy with the components added. */
export interface PreparedSource {
  dir: string;
  /** The tree `dir` lies in (the scratch copy, or the tree itself), shown as `.` in messages. */
  root: string;
  dispose(): Promise<void>;
}

/** Prepares what `kustomize build` runs on for `app` in the tree at `root` (a working tree or an exported ref). */
export async function prepareApplication(root: string, app: Application): Promise<PreparedSource> {
  const { path, kustomize } = app.spec.source;
  const unknown = Object.keys(kustomize ?? {}).filter((k) => !KUSTOMIZE_OPTIONS.has(k));
  if (unknown.length > 0) throw new Error(`Application ${app.metadata.name}: kustomize options ${unknown.join(', ')} are not emulated`);
  const components = kustomize?.components ?? [];
  if (components.length === 0) return { dir: join(root, path), root, dispose: async () => undefined };
  const scratch = await mkdtemp(join(tmpdir(), 'mcp-repo-server-'));
  const dispose = () => rm(scratch, { recursive: true, force: true });
  try {
    await mirror(root, path, scratch);
    await addComponents(join(scratch, path), components);
    return { dir: join(scratch, path), root: scratch, dispose };
  } catch (error) {
    await dispose();
    throw new Error(`Application ${app.metadata.name} (${path}): ${(error as Error).message.replaceAll(scratch, '.')}`);
  }
}

/** The objects the repo server renders for `app` from the tree at `root`. */
export async function renderApplication(root: string, app: Application): Promise<KubeObject[]> {
  const source = await prepareApplication(root, app);
  try {
    return (await kustomizeBuild(source.dir)) as KubeObject[];
  } catch (error) {
    throw new Error(`Application ${app.metadata.name} (${app.spec.source.path}): ${(error as Error).message.replaceAll(source.root, '.')}`);
  } finally {
    await source.dispose();
  }
}
