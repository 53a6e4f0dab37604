/**
 * Entry point of the hubspot-token-cronjob container: one run = one refresh, then exit with a
 * documented code (README, "Exit codes"). In the cluster it talks to the API server with the mounted
 * ServiceAccount token; KUBECONFIG, when set, points it at a kubeconfig file instead (runs by hand).
 */
import { KubeConfig } from '@kubernetes/client-node';
import { createLogger, SecretValues } from '@mcp-gateway/telemetry';
import { loadConfig } from './config.ts';
import { configError, EXIT_CODES, RefreshError } from './errors.ts';
import { createKubeApis } from './kube.ts';
import { refresh } from './refresh.ts';
import { createRunGuard } from './shutdown.ts';

function kubeConfigFromEnvironment(): KubeConfig {
  const kubeConfig = new KubeConfig();
  const file = process.env.KUBECONFIG;
  if (file) {
    try {
      kubeConfig.loadFromFile(file);
    } catch (error) {
      throw configError(`KUBECONFIG ${file} cannot be loaded: ${error instanceof Error ? error.message : String(error)}`);
    }
  } else if (process.env.KUBERNETES_SERVICE_HOST) {
    kubeConfig.loadFromCluster();
  } else {
    throw configError('not in a cluster (KUBERNETES_SERVICE_HOST is unset) and KUBECONFIG is not set');
  }
  return kubeConfig;
}

async function main(): Promise<number> {
  const secrets = new SecretValues();
  const log = createLogger({ service: 'token-refresh', level: 'debug', secrets });
  const started = performance.now();
  // Without handlers Node dies on SIGTERM at once, losing tokens the provider has just issued.
  const guard = createRunGuard({ log, exit: (code) => process.exit(code) });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => guard.request(signal));
  try {
    const config = loadConfig(process.env);
    log.info({
      provider: config.provider,
      namespace: config.namespace,
      accessTokenSecret: config.accessTokenSecretName,
      credentialsSecret: config.credentialsSecretName,
      restart: config.restart ?? null,
    }, 'refresh.start');
    const result = await refresh(config, { kube: createKubeApis(kubeConfigFromEnvironment()), log, secrets, guard });
    log.info({ ...result, durationMs: Math.round(performance.now() - started) }, 'refresh.done');
    return EXIT_CODES.ok;
  } catch (error) {
    const known = error instanceof RefreshError;
    log.error({
      reason: known ? error.reason : 'internal',
      exitCode: known ? error.exitCode : EXIT_CODES.internal,
      message: error instanceof Error ? error.message : String(error),
      durationMs: Math.round(performance.now() - started),
    }, 'refresh.failed');
    return known ? error.exitCode : EXIT_CODES.internal;
  }
}

process.exitCode = await main();
