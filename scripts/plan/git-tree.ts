/**
 * Materializes parts of a git ref in a temporary directory, without touching the work tree, the index or the list
 * of worktrees (`git ls-tree` to list, `git archive` piped into `tar` to extract). The plan asks only for what it
 * renders: the ApplicationSets and overlays first, then the files the generators read, then the inputs of the
 * Applications a change touches; a thousand untouched server folders are never extracted.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** What every plan extracts first: the ApplicationSets (which Applications exist) and the overlays. */
export const FIRST_PATHS = ['argocd', 'overlays'] as const;

/** Everything a rendering may read, for Applications that do not say what theirs reads. */
export const MANIFEST_PATHS = ['argocd', 'base', 'overlays'] as const;

/** A temporary copy of parts of a ref; call `dispose` when done. */
export interface RefTree {
  dir: string;
  /** The full commit id the ref resolved to. */
  commit: string;
  /** Repository paths of every file the ref has under `prefixes` (folders or files), without extracting them. */
  list(prefixes: string[]): Promise<string[]>;
  /** Extracts these files (repository paths, as `list` returns them) into `dir`; already extracted ones are skipped. */
  extract(files: string[]): Promise<void>;
  dispose: () => Promise<void>;
}

async function git(repo: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run('git', ['-C', repo, ...args], { maxBuffer: 256 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`git ${args.slice(0, 4).join(' ')} failed${stderr ? `: ${stderr}` : ''}`);
  }
}

/** Resolves `ref` to a commit id, with a clear error when it does not name one. */
export async function resolveCommit(repo: string, ref: string): Promise<string> {
  if (ref.startsWith('-')) throw new Error(`not a git ref: "${ref}"`);
  try {
    return (await git(repo, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).trim();
  } catch {
    throw new Error(`"${ref}" does not name a commit in ${repo} (in CI, fetch it first: git fetch origin <branch>)`);
  }
}

/** Arguments per `git archive` call, far below any command-line limit. */
const CHUNK = 1000;

/** A temporary tree of the ref, with `FIRST_PATHS` extracted. */
export async function exportRef(repo: string, ref: string): Promise<RefTree> {
  const commit = await resolveCommit(repo, ref);
  const dir = await mkdtemp(join(tmpdir(), 'mcp-plan-'));
  const dispose = () => rm(dir, { recursive: true, force: true });
  const extracted = new Set<string>();
  const list = async (prefixes: string[]) => {
    if (prefixes.length === 0) return [];
    return (await git(repo, ['ls-tree', '-r', '--name-only', '-z', commit, '--', ...prefixes])).split('\0').filter(Boolean);
  };
  const extract = async (files: string[]) => {
    const wanted = [...new Set(files)].filter((f) => !extracted.has(f));
    for (let start = 0; start < wanted.length; start += CHUNK) {
      const chunk = wanted.slice(start, start + CHUNK);
      const archive = join(dir, '.ref.tar');
      await git(repo, ['archive', '--format=tar', '-o', archive, commit, '--', ...chunk]);
      await run('tar', ['-xf', archive, '-C', dir]);
      await rm(archive);
      for (const file of chunk) extracted.add(file);
    }
  };
  try {
    await extract(await list([...FIRST_PATHS]));
  } catch (error) {
    await dispose();
    throw error;
  }
  return { dir, commit, list, extract, dispose };
}

/**
 * Repository paths whose content differs between `commit` and the working tree: tracked files changed (staged or
 * not), deleted or added, and untracked files that are not ignored. Renames count as both paths.
 */
export async function changedFiles(repo: string, commit: string): Promise<string[]> {
  const tracked = await git(repo, ['diff', '--name-only', '--no-renames', '-z', commit, '--']);
  const untracked = await git(repo, ['ls-files', '--others', '--exclude-standard', '-z']);
  return [...new Set([...tracked.split('\0'), ...untracked.split('\0')].filter(Boolean))].sort();
}
