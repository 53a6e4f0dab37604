/**
 * Invariants over everything rendered (repository registry and fixture): every pod is hardened, every object
 * labelled, every generated file marked and listed, and nothing outside base/ claims to be generated.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENERATED_NOTICE } from '../src/emit.ts';
import { renderObjects } from '../src/render/index.ts';
import { fixtureRegistry, REPO_ROOT, repoRegistry } from './helpers.ts';

type Any = Record<string, any>;
const objects = [...renderObjects(repoRegistry()), ...renderObjects(fixtureRegistry())] as Any[];

/** [object, pod spec] for every workload and CronJob. */
const pods = objects.flatMap((o): [Any, Any][] => {
  if (o.kind === 'Deployment' || o.kind === 'StatefulSet') return [[o, o.spec.template.spec]];
  if (o.kind === 'CronJob') return [[o, o.spec.jobTemplate.spec.template.spec]];
  return [];
});

describe('every pod', () => {
  it('exists for each workload kind', () => expect(new Set(pods.map(([o]) => o.kind))).toEqual(new Set(['Deployment', 'StatefulSet', 'CronJob'])));

  it.each(pods.map(([o, pod]) => [`${o.kind} ${o.metadata.name}`, o, pod]))('%s meets the restricted Pod Security Standard and the project rules', (_, object, pod) => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(Number.isInteger(pod.securityContext.runAsUser) && pod.securityContext.runAsUser > 0).toBe(true);
    expect(Number.isInteger(pod.securityContext.runAsGroup)).toBe(true);
    for (const key of ['hostNetwork', 'hostPID', 'hostIPC']) expect(pod[key]).toBeUndefined();
    for (const volume of pod.volumes) expect(Object.keys(volume).filter((k) => k !== 'name')).toEqual([expect.stringMatching(/^(emptyDir|secret|configMap)$/)]);
    expect(pod.automountServiceAccountToken).toBe(object.kind === 'CronJob');
    for (const c of pod.containers) {
      expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
      expect(c.securityContext.capabilities.add).toBeUndefined();
      expect(c.resources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
      expect(c.resources.limits).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
      expect(c.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
      for (const mount of c.volumeMounts) expect(mount.subPath).toBeUndefined();
      for (const env of c.env ?? []) expect(env.valueFrom?.secretKeyRef).toBeUndefined();
      if (object.kind !== 'CronJob') {
        expect(c.readinessProbe.httpGet.path).toBe('/readyz');
        expect(c.livenessProbe.httpGet.path).toBe('/healthz');
      }
    }
  });
});

describe('every object', () => {
  it('carries the recommended labels and never app.kubernetes.io/instance', () => {
    for (const o of objects) {
      expect(Object.keys(o.metadata.labels)).toEqual(expect.arrayContaining(['app.kubernetes.io/name', 'app.kubernetes.io/component', 'app.kubernetes.io/part-of', 'app.kubernetes.io/managed-by']));
      expect(JSON.stringify(o)).not.toContain('app.kubernetes.io/instance');
    }
  });

  it('puts no request timeout on an MCP route', () => {
    for (const route of objects.filter((o) => o.kind === 'HTTPRoute')) for (const rule of route.spec.rules) expect(rule.timeouts).toBeUndefined();
  });
});

describe('generated files in the repository', () => {
  const tracked = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: REPO_ROOT, encoding: 'utf8' }).split('\n').filter((p) => p && existsSync(resolve(REPO_ROOT, p)));
  const manifest: string[] = JSON.parse(readFileSync(resolve(REPO_ROOT, 'base/.generated.json'), 'utf8')).files;

  it('lists every file under base/ in the manifest, each with the header', () => {
    const underBase = tracked.filter((p) => p.startsWith('base/'));
    expect(underBase.filter((p) => !manifest.includes(p))).toEqual([]);
    // JSON has no comments: a JSON file carries the notice as a string on line 1 (base/entra/app-roles.json).
    const notice = (path: string) => (path.endsWith('.json') ? JSON.stringify(GENERATED_NOTICE).slice(1, -1) : GENERATED_NOTICE);
    for (const path of manifest.filter((p) => p !== 'base/.generated.json')) expect(readFileSync(resolve(REPO_ROOT, path), 'utf8').split('\n')[0]).toContain(notice(path));
  });

  it('has the header nowhere outside base/ but docs/architecture.md and the golden files', () => {
    const outside = tracked.filter((p) => !p.startsWith('base/') && p !== 'docs/architecture.md' && !p.startsWith('generators/') && /\.(ya?ml|md|json)$/.test(p));
    const marked = outside.filter((p) => readFileSync(resolve(REPO_ROOT, p), 'utf8').split('\n', 1)[0]!.includes(GENERATED_NOTICE));
    expect(marked).toEqual([]);
  });
});
