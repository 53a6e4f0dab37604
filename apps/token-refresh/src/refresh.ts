/**
 * One run: read the credentials, get a new token set, save a rotated refresh token first, write the
 * access token and its expiry, then restart the workload if configured and the token changed. A stop request
 * (SIGTERM) before the token request ends the run there; after it, the tokens are saved first (src/shutdown.ts).
 */
import type { Logger, SecretValues } from '@mcp-gateway/telemetry';
import { type Config, CREDENTIAL_FILES, OWNED_KEYS, readCredentials } from './config.ts';
import { EXIT_CODES, interrupted, RefreshError } from './errors.ts';
import { type KubeApis, type KubeCallOptions, kubeRetryPolicy, type RestartResult, restartWorkload, rfc3339, writeSecretKeys } from './kube.ts';
import { getProvider } from './providers/index.ts';
import type { Sleep } from './retry.ts';
import type { RunGuard } from './shutdown.ts';
import { requestTokens, tokenRetryPolicy } from './token.ts';

/** What a run touches besides its configuration; tests pass stand-ins. */
export interface RefreshDeps {
  kube: KubeApis;
  log: Logger;
  /** The log's scrubber: the run registers every credential it reads or receives before anything is logged. */
  secrets: SecretValues;
  now?: () => Date;
  sleep?: Sleep;
  random?: () => number;
  /** Stop requests (SIGTERM) and what is at stake; none in tests that do not exercise them. */
  guard?: RunGuard;
}

/** What a successful run did. */
export interface RefreshResult {
  /** The access-token key holds a value it did not hold before. */
  accessTokenChanged: boolean;
  /** The provider returned a refresh token different from the mounted one, and it was saved. */
  refreshTokenRotated: boolean;
  expiresAt: string;
  restart: RestartResult | 'not-configured' | 'token-unchanged';
}

/** Runs one refresh. Throws RefreshError (with its exit code) on any failure. */
export async function refresh(config: Config, deps: RefreshDeps): Promise<RefreshResult> {
  const { log, secrets, now = () => new Date() } = deps;
  const provider = getProvider(config.provider);
  const credentials = await readCredentials(config.credentialsDir);
  for (const secret of [credentials.clientSecret, credentials.refreshToken]) secrets.add(secret);

  const { guard } = deps;
  const where = `credentials Secret "${config.credentialsSecretName}" in namespace "${config.namespace}"`;
  const reauthorise = `if the provider invalidated the mounted refresh token, the next run ends with exit 3: then re-authorise the app and put the new refresh token into the ${where} (key ${OWNED_KEYS.credentialsSecret.refreshToken})`;
  if (guard?.stop.aborted) throw interrupted('before asking for tokens: nothing changed; the next scheduled run refreshes');
  guard?.hold({ what: "the token endpoint's answer", remedy: reauthorise });

  // The expiry counts from before the request, so the stored expires-at is never later than the real one.
  const requestedAt = now();
  const tokens = await requestTokens(
    provider,
    credentials,
    { url: config.tokenUrl ?? provider.defaultTokenUrl, timeoutMs: config.httpTimeoutMs, policy: tokenRetryPolicy(config.maxAttempts) },
    { log, now, ...(deps.sleep ? { sleep: deps.sleep } : {}), ...(deps.random ? { random: deps.random } : {}), ...(guard ? { stop: guard.stop } : {}) },
  ).catch((error: unknown) => {
    guard?.hold(undefined);
    if (error instanceof RefreshError && (error.exitCode === EXIT_CODES.invalidGrant || error.reason === 'token-response-unreadable')) {
      throw new RefreshError(error.exitCode, error.reason, `${error.message}; ${where} (keys ${Object.values(CREDENTIAL_FILES).join(', ')})`, { cause: error });
    }
    throw error;
  });
  secrets.add(tokens.accessToken);
  if (tokens.refreshToken) secrets.add(tokens.refreshToken);

  const kubeOptions: KubeCallOptions = {
    namespace: config.namespace,
    timeoutMs: config.httpTimeoutMs,
    policy: kubeRetryPolicy(config.maxAttempts),
    log,
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
    ...(deps.random ? { random: deps.random } : {}),
  };

  // A rotated refresh token may be the only valid one now: save it before anything else can fail.
  const refreshTokenRotated = tokens.refreshToken !== undefined && tokens.refreshToken !== credentials.refreshToken;
  if (tokens.refreshToken !== undefined && refreshTokenRotated) {
    guard?.hold({ what: `the new refresh token (for the ${where})`, remedy: reauthorise });
    try {
      await writeSecretKeys(deps.kube, config.credentialsSecretName, { [OWNED_KEYS.credentialsSecret.refreshToken]: tokens.refreshToken }, kubeOptions);
      log.info({ secret: config.credentialsSecretName }, 'refresh_token.saved');
    } catch (error) {
      if (error instanceof RefreshError) {
        throw new RefreshError(
          error.exitCode,
          error.reason,
          `${provider.displayName} issued a new refresh token that could not be saved: ${error.message}; ${reauthorise}`,
          { cause: error },
        );
      }
      throw error;
    }
  }

  guard?.hold({
    what: `the new access token (for Secret "${config.accessTokenSecretName}")`,
    remedy: 'the next scheduled run writes a fresh one; until then the server keeps the mounted token, valid until its expires-at',
  });
  const expiresAt = rfc3339(new Date(requestedAt.getTime() + tokens.expiresInSeconds * 1000));
  const { accessToken, expiresAt: expiresAtKey } = OWNED_KEYS.accessTokenSecret;
  const write = await writeSecretKeys(deps.kube, config.accessTokenSecretName, { [accessToken]: tokens.accessToken, [expiresAtKey]: expiresAt }, kubeOptions);
  const accessTokenChanged = write.previous[accessToken] !== tokens.accessToken;
  log.info({ secret: config.accessTokenSecretName, expiresAt, changed: accessTokenChanged }, 'access_token.saved');
  guard?.hold(undefined);

  let restart: RefreshResult['restart'] = 'not-configured';
  if (config.restart && accessTokenChanged && guard?.stop.aborted) {
    throw interrupted(`after saving the new tokens: the restart of ${config.restart.kind} "${config.restart.name}" was skipped; the next scheduled run restarts it`);
  }
  if (config.restart) {
    restart = accessTokenChanged ? await restartWorkload(deps.kube, config.restart, now(), kubeOptions) : 'token-unchanged';
  }
  return { accessTokenChanged, refreshTokenRotated, expiresAt, restart };
}
