/** The UI: ServiceAccount, catalog ConfigMap, Deployment, Service :3000, route /ui (rewritten to /) and /auth. */
import { createHash } from 'node:crypto';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';
import type { IHTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import { FIXED, serviceHost } from '../names.ts';
import type { Registry, SessionStore } from '../registry/types.ts';
import { disruptionBudget, gatewayOnlyIngress, SOURCE as ACCESS_SOURCE } from './access.ts';
import { entraIssuer } from './auth-policy.ts';
import { gatewayParentRefs } from './gateway.ts';
import { labels, metadata, selectorLabels, type KubeObject } from './meta.ts';
import { nodeOptions } from './node-runtime.ts';
import { containerResources, containerSecurityContext, httpProbes, podSecurityContext, secretVolume, TMP_MOUNT, TMP_VOLUME } from './pod-security.ts';
import { place, sourceOf, type PlacedObject } from './placed.ts';
import { renderCatalogConfigMap, SOURCE as CATALOG_SOURCE, UI_PATHS, uiId } from './ui-catalog.ts';

/** This module, as the headers of the files it renders name it. */
export const SOURCE = sourceOf(import.meta.url);

export { catalog, renderCatalogConfigMap } from './ui-catalog.ts';

/** Environment of the UI container, exactly as docs/contracts.md lists it. */
export function uiEnv(registry: Registry): { name: string; value: string }[] {
  const { ui } = registry;
  const gatewayUrl = `http://${serviceHost(registry.gateway.name, registry.namespace)}:${registry.gateway.port}`;
  return [
    { name: 'PORT', value: String(FIXED.uiPort) },
    { name: 'METRICS_PORT', value: String(registry.monitoring.metricsPort) },
    { name: 'PUBLIC_URL', value: ui.publicUrl },
    { name: 'OIDC_ISSUER', value: entraIssuer(registry.auth) },
    { name: 'OIDC_CLIENT_ID', value: ui.clientId },
    { name: 'OIDC_CLIENT_SECRET_FILE', value: `${UI_PATHS.secretDir}/client-secret` },
    { name: 'OIDC_SCOPES', value: `openid profile offline_access ${registry.auth.scope}` },
    { name: 'SESSION_KEY_FILE', value: `${UI_PATHS.secretDir}/session-key` },
    { name: 'GATEWAY_URL', value: gatewayUrl },
    { name: 'CATALOG_FILE', value: `${UI_PATHS.catalogDir}/${UI_PATHS.catalogKey}` },
    { name: 'NODE_OPTIONS', value: nodeOptions(ui.resources.limits.memory) },
    ...sessionStoreEnv(ui.sessionStore),
  ];
}

/** The shared session store (unset: sessions in the pod, one replica only). The password and CA are files. */
function sessionStoreEnv(store: SessionStore): { name: string; value: string }[] {
  if (store.type !== 'redis') return [];
  return [
    { name: 'SESSION_STORE_URL', value: store.url },
    { name: 'SESSION_STORE_PASSWORD_FILE', value: `${UI_PATHS.sessionStorePasswordDir}/${store.passwordSecret.key}` },
    ...(store.caSecret ? [{ name: 'SESSION_STORE_CA_FILE', value: `${UI_PATHS.sessionStoreCaDir}/${store.caSecret.key}` }] : []),
  ];
}

/** The Secret volumes of the session store, mounted as directories like every Secret here. */
function sessionStoreVolumes(store: SessionStore): { mounts: IVolumeMount[]; volumes: IVolume[] } {
  if (store.type !== 'redis') return { mounts: [], volumes: [] };
  const pairs: [string, string, string][] = [['session-store', store.passwordSecret.name, UI_PATHS.sessionStorePasswordDir]];
  if (store.caSecret) pairs.push(['session-store-ca', store.caSecret.name, UI_PATHS.sessionStoreCaDir]);
  return {
    mounts: pairs.map(([name, , mountPath]) => ({ name, mountPath, readOnly: true })),
    volumes: pairs.map(([name, secretName]) => secretVolume(name, secretName)),
  };
}

export function renderUiDeployment(registry: Registry, catalogConfigMap: KubeObject): KubeObject {
  const { ui } = registry;
  const id = uiId(registry);
  // A catalog change rolls the pods, so a UI that reads the catalog only at start still sees new servers.
  const catalogHash = createHash('sha256').update(JSON.stringify(catalogConfigMap.data)).digest('hex').slice(0, 16);
  const sessionStore = sessionStoreVolumes(ui.sessionStore);
  const deployment: IDeployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: metadata(FIXED.ui, registry.namespace, id),
    spec: {
      replicas: ui.replicas,
      revisionHistoryLimit: 3,
      selector: { matchLabels: selectorLabels(id) },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels: labels(id), annotations: { 'mcp-gateway/catalog-hash': catalogHash } },
        spec: {
          serviceAccountName: FIXED.ui,
          automountServiceAccountToken: false,
          securityContext: podSecurityContext(ui.runAsUser),
          containers: [
            {
              name: 'ui',
              image: ui.image,
              imagePullPolicy: 'IfNotPresent',
              ports: [
                { name: 'http', containerPort: FIXED.uiPort, protocol: 'TCP' },
                { name: 'metrics', containerPort: registry.monitoring.metricsPort, protocol: 'TCP' },
              ],
              env: uiEnv(registry),
              ...httpProbes(),
              resources: containerResources(ui.resources),
              securityContext: containerSecurityContext(ui.runAsUser),
              volumeMounts: [
                { name: 'catalog', mountPath: UI_PATHS.catalogDir, readOnly: true },
                { name: 'oidc', mountPath: UI_PATHS.secretDir, readOnly: true },
                ...sessionStore.mounts,
                TMP_MOUNT,
              ],
            },
          ],
          volumes: [
            { name: 'catalog', configMap: { name: FIXED.uiCatalog, defaultMode: 0o444 } },
            secretVolume('oidc', ui.oidcSecretName),
            ...sessionStore.volumes,
            TMP_VOLUME,
          ],
        },
      },
    },
  };
  return deployment as KubeObject;
}

function serviceAccount(registry: Registry): KubeObject {
  const sa: IServiceAccount = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: metadata(FIXED.ui, registry.namespace, uiId(registry)), automountServiceAccountToken: false };
  return sa as KubeObject;
}

function service(registry: Registry): KubeObject {
  const id = uiId(registry);
  const svc: IService = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata(FIXED.uiService, registry.namespace, id),
    spec: { type: 'ClusterIP', selector: selectorLabels(id), ports: [{ name: 'http', port: FIXED.uiPort, targetPort: 'http', protocol: 'TCP' }] },
  };
  return svc as KubeObject;
}

/** `/ui` is rewritten to `/` (the page is built with base `/ui/`); `/auth` passes as is (the OIDC callback). */
export function renderUiRoute(registry: Registry): KubeObject {
  const backendRefs = [{ group: '', kind: 'Service', name: FIXED.uiService, port: FIXED.uiPort }];
  const route: IHTTPRoute = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: metadata(FIXED.uiRoute, registry.namespace, uiId(registry)),
    spec: {
      parentRefs: gatewayParentRefs(registry),
      rules: [
        {
          name: 'ui',
          matches: [{ path: { type: 'PathPrefix', value: '/ui' } }],
          filters: [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } }],
          backendRefs,
        },
        { name: 'auth', matches: [{ path: { type: 'PathPrefix', value: '/auth' } }], backendRefs },
      ],
    },
  };
  return route as unknown as KubeObject;
}

/** Every UI object with its file under `base/ui/`. */
export function renderUi(registry: Registry): PlacedObject[] {
  const catalogConfigMap = renderCatalogConfigMap(registry);
  const id = uiId(registry);
  return place('ui', SOURCE, [
    ['service-account.yaml', serviceAccount(registry)],
    ['catalog.yaml', catalogConfigMap, CATALOG_SOURCE],
    ['deployment.yaml', renderUiDeployment(registry, catalogConfigMap)],
    ['pdb.yaml', disruptionBudget(FIXED.ui, registry.namespace, registry.ui.replicas, id), ACCESS_SOURCE],
    ['service.yaml', service(registry)],
    ['route.yaml', renderUiRoute(registry)],
    ['network-policy.yaml', gatewayOnlyIngress(FIXED.ui, registry.namespace, registry.gateway.name, FIXED.uiPort, id, registry.monitoring), ACCESS_SOURCE],
  ]);
}
