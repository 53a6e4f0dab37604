/**
 * Compares generated files with the disk, and replaces the ones that differ atomically (temp file + rename),
 * manifest-driven. A file whose bytes are already right is not written (its mtime stays). Synchronous on
 * purpose: a run touches thousands of small files, and one system call after another is faster than a round
 * trip through the thread pool for each (docs/fleet-layout.md, "generate").
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { BASE_DIR, MANIFEST_PATH, type GeneratedFile } from './emit.ts';

/** What a run would change: paths relative to the repository root. */
export interface Plan {
  added: string[];
  changed: string[];
  stale: string[];
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** A manifest entry may only name a file under base/ (a hand-edited manifest must not delete anything else). */
function isDeletable(path: string): boolean {
  return typeof path === 'string' && normalize(path) === path && path.startsWith(`${BASE_DIR}/`) && !path.split('/').includes('..');
}

/** Files the previous run listed in `base/.generated.json`. A missing or unreadable manifest lists nothing. */
export function previousFiles(root: string): string[] {
  const text = readIfExists(join(root, MANIFEST_PATH));
  if (text === undefined) return [];
  try {
    const files = (JSON.parse(text) as { files?: unknown }).files;
    return Array.isArray(files) ? files.filter(isDeletable) : [];
  } catch {
    return [];
  }
}

/** Added, changed and stale paths between the disk under `root` and the wanted files. */
export function planChanges(root: string, files: GeneratedFile[]): Plan {
  const wanted = new Set(files.map((f) => f.path));
  const plan: Plan = { added: [], changed: [], stale: [] };
  for (const file of files) {
    const current = readIfExists(join(root, file.path));
    if (current === undefined) plan.added.push(file.path);
    else if (current !== file.content) plan.changed.push(file.path);
  }
  for (const path of previousFiles(root)) {
    if (!wanted.has(path) && readIfExists(join(root, path)) !== undefined) plan.stale.push(path);
  }
  plan.stale.sort();
  return plan;
}

export const isClean = (plan: Plan): boolean => plan.added.length + plan.changed.length + plan.stale.length === 0;

const createdDirs = new Set<string>();

function writeAtomically(path: string, content: string): void {
  const dir = dirname(path);
  if (!createdDirs.has(dir)) {
    mkdirSync(dir, { recursive: true });
    createdDirs.add(dir);
  }
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temp, content, 'utf8');
    renameSync(temp, path);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // The temp file was never created.
    }
    throw error;
  }
}

/** Removes now-empty folders from `dir` up to (not including) base/. */
function pruneEmptyDirs(root: string, dir: string): void {
  for (let current = dir; current.startsWith(`${BASE_DIR}/`); current = dirname(current)) {
    let entries: string[];
    try {
      entries = readdirSync(join(root, current));
    } catch {
      return;
    }
    if (entries.length > 0) return;
    rmdirSync(join(root, current));
  }
}

/** Writes added and changed files (the manifest last), then deletes stale listed files and empty folders. */
export function applyPlan(root: string, files: GeneratedFile[], plan: Plan): void {
  const toWrite = new Set([...plan.added, ...plan.changed]);
  const ordered = [...files.filter((f) => f.path !== MANIFEST_PATH), ...files.filter((f) => f.path === MANIFEST_PATH)];
  for (const file of ordered) if (toWrite.has(file.path)) writeAtomically(join(root, file.path), file.content);
  for (const path of plan.stale) {
    unlinkSync(join(root, path));
    pruneEmptyDirs(root, dirname(path));
  }
}
