/** Compares generated files with the disk, and replaces them atomically (temp file + rename), manifest-driven. */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rmdir, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import { BASE_DIR, MANIFEST_PATH, type GeneratedFile } from './emit.ts';

/** What a run would change: paths relative to the repository root. */
export interface Plan {
  added: string[];
  changed: string[];
  stale: string[];
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** A manifest entry may only name a file under base/ (a hand-edited manifest must not delete anything else). */
function isDeletable(path: string): boolean {
  return typeof path === 'string' && normalize(path) === path && path.startsWith(`${BASE_DIR}/`) && !path.split('/').includes('..');
}

/** Files the previous run listed in `base/.generated.json`. A missing or unreadable manifest lists nothing. */
export async function previousFiles(root: string): Promise<string[]> {
  const text = await readIfExists(join(root, MANIFEST_PATH));
  if (text === undefined) return [];
  try {
    const files = (JSON.parse(text) as { files?: unknown }).files;
    return Array.isArray(files) ? files.filter(isDeletable) : [];
  } catch {
    return [];
  }
}

/** Added, changed and stale paths between the disk under `root` and the wanted files. */
export async function planChanges(root: string, files: GeneratedFile[]): Promise<Plan> {
  const wanted = new Set(files.map((f) => f.path));
  const plan: Plan = { added: [], changed: [], stale: [] };
  for (const file of files) {
    const current = await readIfExists(join(root, file.path));
    if (current === undefined) plan.added.push(file.path);
    else if (current !== file.content) plan.changed.push(file.path);
  }
  for (const path of await previousFiles(root)) {
    if (!wanted.has(path) && (await readIfExists(join(root, path))) !== undefined) plan.stale.push(path);
  }
  plan.stale.sort();
  return plan;
}

export const isClean = (plan: Plan): boolean => plan.added.length + plan.changed.length + plan.stale.length === 0;

async function writeAtomically(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, content, 'utf8');
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

/** Removes now-empty folders from `dir` up to (not including) base/. */
async function pruneEmptyDirs(root: string, dir: string): Promise<void> {
  for (let current = dir; current.startsWith(`${BASE_DIR}/`); current = dirname(current)) {
    const entries = await readdir(join(root, current)).catch(() => undefined);
    if (entries === undefined || entries.length > 0) return;
    await rmdir(join(root, current));
  }
}

/** Writes added and changed files (the manifest last), then deletes stale listed files and empty folders. */
export async function applyPlan(root: string, files: GeneratedFile[], plan: Plan): Promise<void> {
  const toWrite = new Set([...plan.added, ...plan.changed]);
  const ordered = [...files.filter((f) => f.path !== MANIFEST_PATH), ...files.filter((f) => f.path === MANIFEST_PATH)];
  for (const file of ordered) if (toWrite.has(file.path)) await writeAtomically(join(root, file.path), file.content);
  for (const path of plan.stale) {
    await unlink(join(root, path));
    await pruneEmptyDirs(root, dirname(path));
  }
}
