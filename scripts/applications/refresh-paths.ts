/**
 * The annotation `argocd.argoproj.io/manifest-generate-paths`: the paths an Application's render reads. Argo CD
 * (v2.11 and later) renders an Application again only when a commit changes a file under one of them; the plan
 * uses the same rule to render only what a change touches. Semantics of util/app/path/path.go (Argo CD v3.5):
 * `;`-separated, `/`-prefixed paths from the repository root, others relative to the source path; a changed file
 * counts when it is the path, lies under it, or matches it as a glob.
 */
import { posix } from 'node:path';
import type { Application } from './applicationsets.ts';
import { pathMatch } from './applicationsets.ts';

export const MANIFEST_GENERATE_PATHS = 'argocd.argoproj.io/manifest-generate-paths';

/** The refresh paths of an Application, relative to the repository root (GetSourceRefreshPaths). */
export function refreshPaths(app: Application): string[] {
  const value = app.metadata.annotations?.[MANIFEST_GENERATE_PATHS] ?? '';
  return value
    .split(';')
    .map((item) => item.trim())
    .filter(Boolean)
    .map((item) => (item.startsWith('/') ? item.slice(1) : posix.normalize(posix.join(app.spec.source.path, item))));
}

/** Whether a change of `changedFiles` (repository-relative) makes Argo CD render `app` again (AppFilesHaveChanged). */
export function touches(app: Application, changedFiles: string[]): boolean {
  const paths = refreshPaths(app);
  // Without the annotation Argo CD renders on every commit.
  if (paths.length === 0) return changedFiles.length > 0;
  const under = (file: string, p: string) => p === '' || p === '.' || file === p || file.startsWith(`${p}/`);
  return changedFiles.some((file) => paths.some((p) => under(file, p) || pathMatch(p, file)));
}
