/** Registry → every object, each placed in its file under `base/`, in a fixed order. */
import type { Registry, Server } from '../registry/types.ts';
import { renderRouteAccessPolicy, renderToolAccessPolicy } from './access-policy.ts';
import { renderAccessLogPolicy, renderProxyParameters } from './audit-log.ts';
import { renderAuthPolicies, renderJwksBackend } from './auth-policy.ts';
import { renderGateway, renderNamespace } from './gateway.ts';
import type { KubeObject } from './meta.ts';
import { place, type PlacedObject } from './placed.ts';
import { renderBackend, renderHeadlessService, renderServerNetworkPolicy, renderServerRoute, renderServerService } from './server-routing.ts';
import { renderServerDisruptionBudget, renderServerServiceAccount, renderWorkload, workloadFile } from './server-workload.ts';
import { renderTokenCronJob, renderTokenRole, renderTokenRoleBinding, renderTokenServiceAccount } from './token-refresh.ts';
import { renderUi } from './ui.ts';
import { serverNames } from '../names.ts';

/** Folder of a server under `base/`. */
export const serverDir = (server: Server): string => `servers/${server.name}`;

function renderServer(server: Server, registry: Registry): PlacedObject[] {
  const ns = registry.namespace;
  const refresh = server.tokenRefresh;
  return place(serverDir(server), [
    ['service-account.yaml', renderServerServiceAccount(server, ns)],
    [workloadFile(server), renderWorkload(server, ns)],
    ['pdb.yaml', renderServerDisruptionBudget(server, ns)],
    ['service.yaml', renderServerService(server, ns)],
    ['headless-service.yaml', renderHeadlessService(server, ns)],
    ['backend.yaml', renderBackend(server, ns)],
    ['route.yaml', renderServerRoute(server, registry)],
    ['access-policy.yaml', renderRouteAccessPolicy(server, registry)],
    ['tool-access-policy.yaml', renderToolAccessPolicy(server, registry)],
    ['network-policy.yaml', renderServerNetworkPolicy(server, registry)],
    ['token-service-account.yaml', refresh && renderTokenServiceAccount(server, refresh, ns)],
    ['token-role.yaml', refresh && renderTokenRole(server, refresh, ns)],
    ['token-role-binding.yaml', refresh && renderTokenRoleBinding(server, refresh, ns)],
    ['token-cronjob.yaml', refresh && renderTokenCronJob(server, refresh, ns)],
  ]);
}

/** Every object with its place: namespace, gateway, auth, UI, then the servers by name. */
export function renderPlaced(registry: Registry): PlacedObject[] {
  const routes = registry.servers.map((s) => serverNames(s.name).route);
  const policies = renderAuthPolicies(registry, routes);
  return [
    ...place('', [['namespace.yaml', renderNamespace(registry)]]),
    ...place('gateway', [
      ['gateway.yaml', renderGateway(registry)],
      ['proxy-parameters.yaml', renderProxyParameters(registry)],
      ['access-log-policy.yaml', renderAccessLogPolicy(registry)],
    ]),
    ...place('auth', [
      ['jwks-backend.yaml', renderJwksBackend(registry)],
      ...policies.map((p, i): [string, KubeObject] => [i === 0 ? 'policy.yaml' : `policy-${i + 1}.yaml`, p]),
    ]),
    ...renderUi(registry),
    ...registry.servers.flatMap((server) => renderServer(server, registry)),
  ];
}

/** All objects as plain JSON, in a deterministic order. */
export function renderObjects(registry: Registry): KubeObject[] {
  return renderPlaced(registry).map((p) => p.object);
}
