/**
 * Writes Secret and ConfigMap volumes into local folders the way the kubelet does, so programs see what they
 * see in a pod: each key is a symlink `<key> -> ..data/<key>`, and `..data` is a symlink to a timestamped folder
 * that an update replaces in one atomic rename. A token rotation test therefore exercises the same file swap
 * the mcp-hubspot server meets in the cluster.
 */
import { mkdir, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

export async function writeVolume(dir: string, data: Record<string, string>): Promise<void> {
  await mkdir(dir, { recursive: true });
  const version = `..${new Date().toISOString().replace(/[:.]/g, '_')}.${randomBytes(4).toString('hex')}`;
  await mkdir(path.join(dir, version), { mode: 0o755 });
  for (const [key, value] of Object.entries(data)) {
    await writeFile(path.join(dir, version, key), value, { mode: 0o600 });
  }
  const previous = await readlink(path.join(dir, '..data')).catch(() => undefined);
  await symlink(version, path.join(dir, '..data_tmp'));
  await rename(path.join(dir, '..data_tmp'), path.join(dir, '..data'));
  for (const key of Object.keys(data)) {
    await symlink(path.join('..data', key), path.join(dir, key)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
  if (previous) await rm(path.join(dir, previous), { recursive: true, force: true });
}
