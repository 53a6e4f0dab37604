/**
 * A HubSpot token rotation while MCP calls keep coming: the token-refresh program (the container of the
 * rendered CronJob hubspot-token-cronjob, with that CronJob's environment) runs against loopback stand-ins for
 * HubSpot's OAuth token endpoint and the Kubernetes API; a kubelet stand-in projects the Secret it writes into
 * the volume mcp-hubspot reads. No call may fail, and calls after the rotation must use the new token.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeApi, type KubeApi } from '@mcp-gateway/stand-ins/kube-api';
import { startTokenEndpoint, type TokenEndpoint } from '@mcp-gateway/stand-ins/token-endpoint';
import type { KubeObject } from '../gateway/manifests.ts';
import type { Stack } from '../stack.ts';
import { writeVolume } from '../volumes.ts';
import { containerEnv, remapPath } from '../workloads.ts';
import { userToken, connectThroughGateway, repoRoot, startDevStack } from './support.ts';

let stack: Stack;
let objects: KubeObject[];
let tokenEndpoint: TokenEndpoint;
let kube: KubeApi;
let scratch: string;

beforeAll(async () => {
  ({ stack, objects } = await startDevStack());
  scratch = await mkdtemp(path.join(os.tmpdir(), 'rotation-'));
  const credentials = stack.secrets.get('hubspot-oauth-credentials')!;
  tokenEndpoint = await startTokenEndpoint({
    clientId: credentials['client-id']!,
    clientSecret: credentials['client-secret']!,
    refreshToken: credentials['refresh-token']!,
    rotate: true,
  });
  kube = await startKubeApi({ namespace: 'agentgateway-system', token: 'refresher-service-account-token' });
  kube.putSecret('hubspot-access-token', stack.secrets.get('hubspot-access-token')!);
  kube.putSecret('hubspot-oauth-credentials', credentials);
});

afterAll(async () => {
  await Promise.all([stack?.close(), tokenEndpoint?.close(), kube?.close()]);
  await rm(scratch, { recursive: true, force: true });
});

/** Runs the refresher once with the rendered CronJob's environment, pointed at the stand-ins. */
async function runRefresher(): Promise<{ code: number | null; output: string }> {
  const cronJob = objects.find((o) => o.kind === 'CronJob' && o.metadata.name === 'hubspot-token-cronjob')!;
  const pod = cronJob.spec.jobTemplate.spec.template;
  const container = pod.spec.containers[0];
  const credentialsMount = container.volumeMounts.find((m: any) =>
    pod.spec.volumes.some((v: any) => v.name === m.name && v.secret?.secretName === 'hubspot-oauth-credentials'),
  );
  const credentialsDir = path.join(scratch, 'oauth-credentials');
  await writeVolume(credentialsDir, kube.secretData('hubspot-oauth-credentials')!);
  const kubeconfig = path.join(scratch, 'kubeconfig.json');
  await writeFile(kubeconfig, JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    // client-node speaks plain HTTP only with skip-tls-verify; the stand-in listens on loopback.
    clusters: [{ name: 'stand-in', cluster: { server: kube.url, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'refresher', user: { token: kube.token } }],
    contexts: [{ name: 'stand-in', context: { cluster: 'stand-in', user: 'refresher' } }],
    'current-context': 'stand-in',
  }));
  const env = containerEnv(container, { namespace: 'agentgateway-system', podName: 'hubspot-token-cronjob-1' });
  for (const [name, value] of Object.entries(env)) env[name] = remapPath(value, new Map([[credentialsMount.mountPath, credentialsDir]]));
  env.TOKEN_URL = tokenEndpoint.url;
  env.KUBECONFIG = kubeconfig;

  const child = spawn(process.execPath, [path.join(repoRoot, 'apps/token-refresh/src/index.ts')], {
    env: { PATH: process.env.PATH ?? '', NODE_NO_WARNINGS: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, output };
}

describe('token rotation for mcp-hubspot', () => {
  it('loses no call while the refresher writes a new token, and later calls use it', async () => {
    const oldToken = stack.secrets.get('hubspot-access-token')!['access-token']!;
    // The kubelet stand-in: once the API stores the new Secret, the mounted volume changes (atomic ..data swap).
    // HubSpot keeps an issued access token valid until it expires, so both tokens are accepted meanwhile.
    kube.beforeAnswer = async (request) => {
      if (request.method === 'PATCH' && request.status < 300 && request.path.endsWith('/secrets/hubspot-access-token')) {
        const data = kube.secretData('hubspot-access-token')!;
        stack.hubspot.setValidTokens([oldToken, data['access-token']!]);
        await stack.updateSecret('hubspot-access-token', data);
      }
    };

    const client = await connectThroughGateway(stack, '/mcp/mcp-hubspot', await userToken(stack));
    const results: boolean[] = [];
    let refresherDone = false;
    let callsAfterRefresh = 0;
    const caller = async () => {
      while (!refresherDone || callsAfterRefresh < 10) {
        const result = await client.callTool({ name: 'search_crm_objects', arguments: { objectType: 'contacts', limit: 5 } });
        results.push(!(result.isError ?? false));
        if (refresherDone) callsAfterRefresh += 1;
        // Paced below the route's rate limit (200 a second per route), whatever the machine's speed.
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const callers = [caller(), caller()];
    const refresher = await runRefresher();
    refresherDone = true;
    await Promise.all(callers);
    await client.close();

    expect(refresher.code, refresher.output).toBe(0);
    expect(refresher.output).not.toContain(oldToken);
    const newToken = kube.secretData('hubspot-access-token')!['access-token']!;
    expect(newToken).not.toBe(oldToken);
    expect(tokenEndpoint.issued).toContain(newToken);
    expect(results.length).toBeGreaterThan(20);
    expect(results.every(Boolean), `${results.filter((ok) => !ok).length} of ${results.length} calls failed`).toBe(true);

    const tokensSeen = stack.hubspot.requests.map((r) => r.token);
    expect(tokensSeen).toContain(oldToken);
    expect(tokensSeen.slice(-10).every((t) => t === newToken)).toBe(true);
    // The rotated refresh token was saved to the credentials Secret.
    expect(kube.secretData('hubspot-oauth-credentials')!['refresh-token']).not.toBe(stack.secrets.get('hubspot-oauth-credentials')!['refresh-token']);
  });
});
