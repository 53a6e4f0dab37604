/** `npm run validate` (scripts/validate.ts) on this repository and on a copy with a defect planted. */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { REPO_ROOT } from './helpers.ts';

const copies: string[] = [];
afterAll(async () => {
  await Promise.all(copies.map((dir) => rm(dir, { recursive: true, force: true })));
});

function validate(root: string): Promise<{ code: number; stdout: string }> {
  return promisify(execFile)(process.execPath, [join(REPO_ROOT, 'scripts/validate.ts'), '--root', root], { timeout: 240_000 }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
  );
}

async function copyOfTree(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'validate-'));
  copies.push(root);
  for (const dir of ['base', 'overlays', 'argocd']) await cp(join(REPO_ROOT, dir), join(root, dir), { recursive: true });
  return root;
}

describe('npm run validate', () => {
  it('builds and validates base/, every environment and Argo CD', async () => {
    const { code, stdout } = await validate(REPO_ROOT);
    expect(code, stdout).toBe(0);
    for (const dir of ['base', 'overlays/dev', 'overlays/prod', 'argocd/apps', 'argocd/bootstrap', 'argocd/health']) expect(stdout).toMatch(new RegExp(`^ok    ${dir}: \\d+ objects valid$`, 'm'));
    expect(stdout).toContain('validate: 6 kustomizations valid');
  }, 240_000);

  it('fails naming the environment and the object when a patch breaks a CRD schema', async () => {
    const root = await copyOfTree();
    const file = join(root, 'overlays/prod/kustomization.yaml');
    const kustomization = parse(await readFile(file, 'utf8')) as { patches?: unknown[] };
    kustomization.patches = [
      ...(kustomization.patches ?? []),
      { target: { kind: 'AgentgatewayPolicy', name: 'azure-mcp-authn-policy' }, patch: '[{"op": "add", "path": "/spec/traffic/notAField", "value": true}]' },
    ];
    await writeFile(file, stringify(kustomization));
    const { code, stdout } = await validate(root);
    expect(code).toBe(1);
    expect(stdout).toContain('FAIL  overlays/prod:\n        AgentgatewayPolicy agentgateway-system/azure-mcp-authn-policy: spec.traffic: unknown field "notAField"\n');
    expect(stdout).toMatch(/^ok    overlays\/dev:/m);
    expect(stdout).toContain('validate: 1 of 6 kustomizations failed');
  }, 240_000);
});
