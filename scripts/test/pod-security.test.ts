/**
 * Every pod an environment runs passes the Kubernetes `restricted` Pod Security Standard, which its namespace
 * enforces: the pods rendered here (servers, UI, token refresher) and the gateway's proxy pods, which the agentgateway
 * controller makes from its v1.4.1 pod template (fixtures/agentgateway-proxy-pod.yaml) merged with the environment's
 * AgentgatewayParameters (strategic-merge.ts, as the controller merges it). The rules are the standard's controls
 * (generators/src/validate/pod-security.ts); each is shown to catch what it forbids.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkPodSecurity, podTemplateOf, restrictedProblems, RESTRICTED_CONTROLS, type PodShape } from '../../generators/src/validate/pod-security.ts';
import { listEnvironments } from '../applications/environments.ts';
import type { KubeObject } from '../plan/diff-objects.ts';
import { find, get, REPO_ROOT, renderRepoEnvironment } from './helpers.ts';
import { strategicMerge } from './strategic-merge.ts';

const proxyTemplate = (): PodShape => parse(readFileSync(join(REPO_ROOT, 'scripts/test/fixtures/agentgateway-proxy-pod.yaml'), 'utf8')) as PodShape;

/** The proxy pod the controller would run in an environment: its template with the Gateway's parameters merged in. */
function proxyPod(objects: KubeObject[]): PodShape {
  const gateway = find(objects, 'Gateway', 'agentgateway-proxy');
  const parameters = find(objects, 'AgentgatewayParameters', get(gateway, 'spec', 'infrastructure', 'parametersRef', 'name') as string);
  return strategicMerge(proxyTemplate(), get(parameters, 'spec', 'deployment', 'spec', 'template') ?? {}) as PodShape;
}

const rendered = new Map<string, KubeObject[]>();
let environments: string[];

beforeAll(async () => {
  environments = await listEnvironments(REPO_ROOT);
  for (const env of environments) rendered.set(env, (await renderRepoEnvironment(env)).flatMap((r) => r.objects));
});

describe('every pod of every environment', () => {
  it('lives in a namespace that enforces restricted', () => {
    for (const env of environments) expect(get(find(rendered.get(env)!, 'Namespace', 'agentgateway-system'), 'metadata', 'labels', 'pod-security.kubernetes.io/enforce'), env).toBe('restricted');
  });

  it('passes restricted: the rendered workloads', () => {
    for (const env of environments) {
      const objects = rendered.get(env)!;
      const withPods = objects.filter((o) => podTemplateOf(o as never));
      expect(withPods.map((o) => `${o.kind}/${o.metadata?.name}`).sort(), env).toEqual(['CronJob/hubspot-token-cronjob', 'Deployment/mcp-example', 'Deployment/mcp-mssql', 'Deployment/mcp-ui', 'StatefulSet/mcp-hubspot']);
      expect(checkPodSecurity(objects as never), env).toEqual([]);
    }
  });

  it("passes restricted: the gateway's proxy pods, whose seccomp profile comes from the AgentgatewayParameters", () => {
    for (const env of environments) expect(restrictedProblems(proxyPod(rendered.get(env)!)), env).toEqual([]);
    // v1.4.1's template alone misses exactly the seccomp control, which is why the parameters set it.
    expect(restrictedProblems(proxyTemplate())).toEqual(['Seccomp (restricted): spec.containers[0].securityContext.seccompProfile.type is not set (nor for the pod)']);
  });

  it('keeps the template security context the parameters do not name (the sysctl that lets the proxy bind 80 and 443)', () => {
    const pod = proxyPod(rendered.get('prod')!);
    expect(get(pod, 'spec', 'securityContext')).toEqual({ sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }], seccompProfile: { type: 'RuntimeDefault' } });
    expect(get(pod, 'spec', 'topologySpreadConstraints', 0, 'topologyKey')).toBe('kubernetes.io/hostname');
  });
});

describe('the restricted rules', () => {
  const good = (): any => structuredClone(proxyPod(rendered.get('dev')!));
  const breaking: [string, (pod: any) => void, string][] = [
    ['HostProcess', (p) => (p.spec.securityContext.windowsOptions = { hostProcess: true }), 'spec.securityContext.windowsOptions.hostProcess is true'],
    ['Host Namespaces', (p) => (p.spec.hostNetwork = true), 'spec.hostNetwork is true'],
    ['Privileged Containers', (p) => (p.spec.containers[0].securityContext.privileged = true), 'spec.containers[0].securityContext.privileged is true'],
    ['Capabilities (baseline)', (p) => (p.spec.containers[0].securityContext.capabilities.add = ['SYS_ADMIN']), 'spec.containers[0].securityContext.capabilities.add has SYS_ADMIN'],
    ['HostPath Volumes', (p) => p.spec.volumes.push({ name: 'host', hostPath: { path: '/' } }), 'spec.volumes[6].hostPath is set'],
    ['Host Ports', (p) => (p.spec.containers[0].ports[0].hostPort = 15020), 'spec.containers[0].ports[0].hostPort is 15020'],
    ['AppArmor', (p) => (p.spec.containers[0].securityContext.appArmorProfile = { type: 'Unconfined' }), 'spec.containers[0].securityContext.appArmorProfile.type is Unconfined'],
    ['SELinux', (p) => (p.spec.securityContext.seLinuxOptions = { type: 'spc_t' }), 'spec.securityContext.seLinuxOptions.type is spc_t'],
    ['/proc Mount Type', (p) => (p.spec.containers[0].securityContext.procMount = 'Unmasked'), 'spec.containers[0].securityContext.procMount is Unmasked'],
    ['Seccomp (baseline)', (p) => (p.spec.containers[0].securityContext.seccompProfile = { type: 'Unconfined' }), 'spec.containers[0].securityContext.seccompProfile.type is Unconfined'],
    ['Sysctls', (p) => p.spec.securityContext.sysctls.push({ name: 'net.core.somaxconn', value: '1024' }), 'spec.securityContext.sysctls has net.core.somaxconn'],
    ['Volume Types', (p) => p.spec.volumes.push({ name: 'nfs', nfs: { server: 'x', path: '/' } }), 'spec.volumes[6] is of type nfs'],
    ['Privilege Escalation', (p) => delete p.spec.containers[0].securityContext.allowPrivilegeEscalation, 'spec.containers[0].securityContext.allowPrivilegeEscalation is not false'],
    ['Running as Non-root', (p) => (p.spec.containers[0].securityContext.runAsNonRoot = false), 'spec.containers[0].securityContext.runAsNonRoot is not true (nor set true for the pod)'],
    ['Running as Non-root user', (p) => (p.spec.containers[0].securityContext.runAsUser = 0), 'spec.containers[0].securityContext.runAsUser is 0'],
    ['Seccomp (restricted)', (p) => delete p.spec.securityContext.seccompProfile, 'spec.containers[0].securityContext.seccompProfile.type is not set (nor for the pod)'],
    ['Capabilities (restricted)', (p) => (p.spec.containers[0].securityContext.capabilities = { add: ['CHOWN'] }), 'spec.containers[0].securityContext.capabilities.drop does not include ALL'],
  ];

  it('are one per control of the published list, each catching what its control forbids', () => {
    expect(RESTRICTED_CONTROLS.map((c) => c.name)).toEqual(breaking.map(([name]) => name));
    for (const [control, mutate, message] of breaking) {
      const pod = good();
      mutate(pod);
      expect(restrictedProblems(pod), control).toContain(`${control}: ${message}`);
    }
  });

  it('check init and ephemeral containers too, and allow what the standard allows', () => {
    const pod = good();
    pod.spec.initContainers = [{ name: 'init', securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } } }];
    expect(restrictedProblems(pod)).toEqual([]);
    pod.spec.ephemeralContainers = [{ name: 'debug' }];
    expect(restrictedProblems(pod)).toEqual([
      'Privilege Escalation: spec.ephemeralContainers[0].securityContext.allowPrivilegeEscalation is not false',
      'Running as Non-root: spec.ephemeralContainers[0].securityContext.runAsNonRoot is not true (nor set true for the pod)',
      'Capabilities (restricted): spec.ephemeralContainers[0].securityContext.capabilities.drop does not include ALL',
    ]);
  });
});
