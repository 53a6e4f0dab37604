/**
 * The contract between the generated manifests and this program (docs/contracts.md,
 * "hubspot-token-cronjob"): renders the CronJob, its ServiceAccount, Role and RoleBinding from the real
 * servers.json with the generator, and checks them against what the program reads and calls, taken from
 * the program's own modules (ENV_VARIABLES, CREDENTIAL_FILES, OWNED_KEYS, requiredPermissions), not from
 * a copy kept here. Rendered twice: as the registry says (no restart) and with `restart: true`.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseRegistry, renderObjects, serverNames } from '../../../generators/src/index.ts';
import { locksFor } from '../../../generators/test/helpers.ts';
import { type Config, CREDENTIAL_FILES, ENV_VARIABLES, loadConfig, OWNED_KEYS } from '../src/config.ts';
import { requiredPermissions } from '../src/kube.ts';

const CRONJOB = 'hubspot-token-cronjob';
const REGISTRY_TEXT = await readFile(new URL('../../../servers.json', import.meta.url), 'utf8');
const CONTRACTS = await readFile(new URL('../../../docs/contracts.md', import.meta.url), 'utf8');

/** Minimal shapes of the rendered objects this test reads. */
interface Obj {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  [field: string]: unknown;
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { fieldRef?: { fieldPath?: string } };
}
interface Container {
  name: string;
  env?: EnvVar[];
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean; subPath?: string }[];
}
interface PodSpec {
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  securityContext?: { runAsUser?: number; fsGroup?: number };
  containers: Container[];
  volumes?: { name: string; secret?: { secretName: string; defaultMode?: number; items?: { key: string; path: string }[] } }[];
}
interface Rule {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  verbs: string[];
}

/** The registry with every tokenRefresh switched to `restart`, as a platform engineer would write it. */
function withRestart(text: string): string {
  const data = JSON.parse(text) as { servers: { tokenRefresh?: { restart?: boolean } }[] };
  for (const server of data.servers) if (server.tokenRefresh) server.tokenRefresh.restart = true;
  return JSON.stringify(data, null, 2);
}

function render(text: string) {
  const { registry, problems } = parseRegistry(text, locksFor(text));
  expect(problems).toEqual([]);
  if (!registry) throw new Error('servers.json did not parse');
  const objects = renderObjects(registry) as Obj[];
  const find = (kind: string, name: string): Obj | undefined => objects.find((o) => o.kind === kind && o.metadata.name === name);
  const cronJob = find('CronJob', CRONJOB);
  if (!cronJob) throw new Error(`no CronJob ${CRONJOB} rendered`);
  const pod = (cronJob as unknown as { spec: { jobTemplate: { spec: { template: { spec: PodSpec } } } } }).spec.jobTemplate.spec.template.spec;
  expect(pod.containers).toHaveLength(1);
  const container = pod.containers[0]!;
  const namespace = cronJob.metadata.namespace ?? '';
  const server = registry.servers.find((s) => s.tokenRefresh !== undefined && serverNames(s.name).tokenCronJob === CRONJOB);
  return { registry, objects, find, cronJob, pod, container, namespace, server };
}

/** The environment the container gets, with downward-API fields resolved as the kubelet would. */
function containerEnv(container: Container, namespace: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const variable of container.env ?? []) {
    if (variable.value !== undefined) env[variable.name] = variable.value;
    else if (variable.valueFrom?.fieldRef?.fieldPath === 'metadata.namespace') env[variable.name] = namespace;
  }
  return env;
}

const expand = (rules: Rule[]): string[] =>
  rules
    .flatMap((r) =>
      (r.apiGroups ?? []).flatMap((g) => (r.resources ?? []).flatMap((res) => (r.resourceNames ?? ['*']).flatMap((n) => r.verbs.map((v) => `${v} ${g}/${res}/${n}`)))),
    )
    .sort();

for (const restart of [false, true]) {
  describe(`${CRONJOB} as rendered from servers.json${restart ? ' with restart: true' : ''}`, () => {
    const rendered = render(restart ? withRestart(REGISTRY_TEXT) : REGISTRY_TEXT);
    const { container, pod, namespace, find } = rendered;
    const env = containerEnv(container, namespace);
    let config: Config;

    it('sets every variable the program reads, from the right source, and nothing else', () => {
      const byName = new Map((container.env ?? []).map((v) => [v.name, v]));
      for (const variable of ENV_VARIABLES) {
        const renderedVariable = byName.get(variable.name);
        if (variable.restartOnly && !restart) {
          expect(renderedVariable, `${variable.name} must not be rendered without restart`).toBeUndefined();
          continue;
        }
        expect(renderedVariable, `${variable.name} is missing`).toBeDefined();
        if (variable.source === 'fieldRef:metadata.namespace') expect(renderedVariable?.valueFrom?.fieldRef?.fieldPath).toBe('metadata.namespace');
        else expect(typeof renderedVariable?.value).toBe('string');
      }
      // NODE_OPTIONS is read by Node itself: the heap cap the generator derives from the memory limit.
      expect(byName.get('NODE_OPTIONS')?.value).toMatch(/^--max-old-space-size=\d+ --max-semi-space-size=\d+$/);
      const known = new Set([...ENV_VARIABLES.map((v) => v.name), 'NODE_OPTIONS']);
      expect([...byName.keys()].filter((name) => !known.has(name))).toEqual([]);
    });

    it('is accepted by the program as a whole configuration', () => {
      config = loadConfig(env);
      expect(config.namespace).toBe(namespace);
      if (restart) {
        const server = rendered.server!;
        expect(config.restart).toEqual({ kind: server.workload, name: serverNames(server.name).workload });
        expect(find(server.workload, serverNames(server.name).workload)?.metadata.namespace).toBe(namespace);
      } else {
        expect(config.restart).toBeUndefined();
      }
    });

    it('mounts the credentials Secret read-only as a directory at CREDENTIALS_DIR, with the keys the program reads, readable by its user', () => {
      config ??= loadConfig(env);
      const mount = container.volumeMounts?.find((m) => m.mountPath === config.credentialsDir);
      expect(mount, `nothing mounted at ${config.credentialsDir}`).toBeDefined();
      expect(mount?.readOnly).toBe(true);
      expect(mount?.subPath).toBeUndefined();
      const volume = pod.volumes?.find((v) => v.name === mount?.name);
      expect(volume?.secret?.secretName).toBe(config.credentialsSecretName);
      const items = volume?.secret?.items;
      if (items) for (const key of Object.values(CREDENTIAL_FILES)) expect(items).toContainEqual({ key, path: key });
      // Secret files are owned by root and the fsGroup; a non-root user reads them through the group bits.
      const mode = volume?.secret?.defaultMode ?? 0o644;
      const readable = (mode & 0o004) !== 0 || (pod.securityContext?.fsGroup !== undefined && (mode & 0o040) !== 0);
      expect(readable, `mode ${mode.toString(8)} without a matching fsGroup`).toBe(true);
    });

    it('mounts the ServiceAccount token of a ServiceAccount used by nothing else', () => {
      const serviceAccountName = pod.serviceAccountName ?? 'default';
      expect(serviceAccountName).not.toBe('default');
      const serviceAccount = find('ServiceAccount', serviceAccountName) as (Obj & { automountServiceAccountToken?: boolean }) | undefined;
      expect(serviceAccount?.metadata.namespace).toBe(namespace);
      const mounted = pod.automountServiceAccountToken ?? serviceAccount?.automountServiceAccountToken ?? true;
      expect(mounted).toBe(true);
      const users = rendered.objects.filter((o) => JSON.stringify(o).includes(`"serviceAccountName":"${serviceAccountName}"`));
      expect(users.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([`CronJob/${CRONJOB}`]);
    });

    it('binds a Role that allows exactly what the program calls', () => {
      config ??= loadConfig(env);
      const serviceAccountName = pod.serviceAccountName ?? 'default';
      const binding = rendered.objects.find(
        (o) =>
          o.kind === 'RoleBinding' &&
          o.metadata.namespace === namespace &&
          ((o as unknown as { subjects?: { kind: string; name: string; namespace?: string }[] }).subjects ?? []).some(
            (s) => s.kind === 'ServiceAccount' && s.name === serviceAccountName && s.namespace === namespace,
          ),
      ) as (Obj & { roleRef: { apiGroup: string; kind: string; name: string } }) | undefined;
      expect(binding, `no RoleBinding for ServiceAccount ${serviceAccountName}`).toBeDefined();
      expect(binding?.roleRef.kind).toBe('Role');
      const role = find('Role', binding!.roleRef.name) as (Obj & { rules: Rule[] }) | undefined;
      expect(role?.metadata.namespace).toBe(namespace);
      const granted = expand(role!.rules);
      const needed = expand(requiredPermissions(config).map((p) => ({ apiGroups: [p.apiGroup], resources: [p.resource], resourceNames: [p.resourceName], verbs: p.verbs })));
      expect(granted).toEqual(needed);
      expect(granted.some((g) => g.includes('*'))).toBe(false);
      expect(rendered.objects.some((o) => o.kind === 'ClusterRoleBinding' && JSON.stringify(o).includes(serviceAccountName))).toBe(false);
    });

    it('writes the key the HubSpot server reads its token from', () => {
      config ??= loadConfig(env);
      const server = rendered.server!;
      const mount = server.secretMounts?.find((m) => m.secretName === config.accessTokenSecretName);
      expect(mount, `${server.name} does not mount ${config.accessTokenSecretName}`).toBeDefined();
      expect(Object.values(mount!.env)).toContain(OWNED_KEYS.accessTokenSecret.accessToken);
    });
  });
}

describe('docs/contracts.md, section hubspot-token-cronjob', () => {
  const section = CONTRACTS.split(/^## /m).find((part) => part.startsWith('hubspot-token-cronjob')) ?? '';

  it('lists exactly the variables the program reads', () => {
    const documented = [...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(ENV_VARIABLES.map((v) => v.name).sort());
  });

  it('names the credential files and the keys the program writes', () => {
    for (const file of Object.values(CREDENTIAL_FILES)) expect(section).toContain(`\`${file}\``);
    for (const key of Object.values(OWNED_KEYS.accessTokenSecret)) expect(section).toContain(`\`${key}\``);
  });
});
