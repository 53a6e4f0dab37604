/** kustomizeBuild with the real kubectl/kustomize, its error on a broken kustomization, and with neither tool. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { kustomizeBuild } from '../../src/validate/kustomize.ts';
import { REPO_ROOT } from '../helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'kustomize-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('kustomizeBuild', () => {
  it('returns the built objects', async () => {
    writeFileSync(join(dir, 'kustomization.yaml'), 'resources:\n  - cm.yaml\nnamespace: demo\n');
    writeFileSync(join(dir, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: "1"\n');
    expect(await kustomizeBuild(dir)).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'demo' }, data: { a: '1' } }]);
  });

  it("fails with kustomize's own message on a broken kustomization", async () => {
    writeFileSync(join(dir, 'kustomization.yaml'), 'resources:\n  - missing.yaml\n');
    await expect(kustomizeBuild(dir)).rejects.toThrow(/kustomize .* failed: .*missing\.yaml/s);
  });

  it('says clearly when neither kustomize nor kubectl is on the PATH', async () => {
    const script = `import { kustomizeBuild } from ${JSON.stringify(resolve(REPO_ROOT, 'generators/src/validate/kustomize.ts'))};
      try { await kustomizeBuild('.'); } catch (e) { console.log(e.message); }`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { env: { PATH: '/nonexistent' }, cwd: dir });
    expect(stdout.trim()).toBe('neither `kustomize` nor `kubectl` was found on the PATH; install one of them to build kustomizations');
  });
});
