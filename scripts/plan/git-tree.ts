/**
 * Materializes the manifest folders of a git ref in a temporary directory, without touching the
 * work tree, the index or the list of worktrees (`git archive` piped into `tar`).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The folders a rendering needs: the ApplicationSets (which Applications exist), the generated bases (committed,
 * so no generator runs for the ref) and the overlays.
 */
export const MANIFEST_PATHS = ['argocd', 'base', 'overlays'] as const;

/** A temporary copy of a ref's manifests; call `dispose` when done. */
export interface RefTree {
  dir: string;
  /** The full commit id the ref resolved to. */
  commit: string;
  dispose: () => Promise<void>;
}

async function git(repo: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run('git', ['-C', repo, ...args], { maxBuffer: 256 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`git ${args.join(' ')} failed${stderr ? `: ${stderr}` : ''}`);
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

/** Writes the ref's `argocd/`, `base/` and `overlays/` into a fresh temporary directory. */
export async function exportRef(repo: string, ref: string): Promise<RefTree> {
  const commit = await resolveCommit(repo, ref);
  const present = (await git(repo, ['ls-tree', '--name-only', commit, '--', ...MANIFEST_PATHS]))
    .split('\n')
    .filter(Boolean);
  const dir = await mkdtemp(join(tmpdir(), 'mcp-plan-'));
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    if (present.length > 0) {
      const archive = join(dir, '.ref.tar');
      await git(repo, ['archive', '--format=tar', '-o', archive, commit, '--', ...present]);
      await run('tar', ['-xf', archive, '-C', dir]);
      await rm(archive);
    }
  } catch (error) {
    await dispose();
    throw error;
  }
  return { dir, commit, dispose };
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
