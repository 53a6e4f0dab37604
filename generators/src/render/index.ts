/** Registry → every object, each placed in its file and unit under `base/`, in a fixed order. */
import type { Registry, Server } from '../registry/types.ts';
import { SOURCE as ACCESS } from './access.ts';
import { renderServerRules, SOURCE as ALERT_RULES } from './alert-rules.ts';
import { renderDashboard, SOURCE as DASHBOARD } from './dashboard.ts';
import { renderGatewayPodMonitor, renderServerPodMonitor, renderUiPodMonitor, SOURCE as MONITORS } from './monitors.ts';
import { renderTracingPolicy, SOURCE as TRACING } from './tracing.ts';
import { serverNames } from '../names.ts';
import { renderRouteAccessPolicy, renderToolAccessPolicy, SOURCE as ACCESS_POLICY } from './access-policy.ts';
import { renderAccessLogPolicy, SOURCE as AUDIT_LOG } from './audit-log.ts';
import { renderAuthPolicy, renderJwksBackend, SOURCE as AUTH } from './auth-policy.ts';
import { renderEdgeCertificate, renderHttpsRedirectRoute, renderProxyNetworkPolicy, SOURCE as EDGE } from './edge.ts';
import { renderGateway, renderNamespace, SOURCE as GATEWAY } from './gateway.ts';
import type { KubeObject } from './meta.ts';
import { renderProxyParameters, SOURCE as PROXY_PARAMETERS } from './proxy-parameters.ts';
import { place, serverUnit, SHARED_UNIT, within, type PlacedObject } from './placed.ts';
import { renderBackend, renderHeadlessService, renderServerNetworkPolicy, renderServerRoute, renderServerService, SOURCE as ROUTING } from './server-routing.ts';
import { renderServerDisruptionBudget, renderServerServiceAccount, renderWorkload, SOURCE as WORKLOAD, workloadFile } from './server-workload.ts';
import { renderToolLockConfigMap, SOURCE as TOOL_LOCK } from './tool-lock.ts';
import { renderTokenCronJob, renderTokenRole, renderTokenRoleBinding, renderTokenServiceAccount, SOURCE as TOKEN_REFRESH } from './token-refresh.ts';
import { renderUi } from './ui.ts';

/** Folder of a server under `base/`: its unit. */
export const serverDir = (server: Server): string => serverUnit(server.name);

/** Every unit of a registry (folders under `base/`): the shared one, then one per server by name. */
export function renderUnits(registry: Registry): string[] {
  return [SHARED_UNIT, ...registry.servers.map(serverDir)];
}

function renderServer(server: Server, registry: Registry): PlacedObject[] {
  const ns = registry.namespace;
  const refresh = server.tokenRefresh;
  const dir = serverDir(server);
  return [
    ...place(dir, WORKLOAD, [
      ['service-account.yaml', renderServerServiceAccount(server, ns)],
      [workloadFile(server), renderWorkload(server, ns, registry.monitoring.metricsPort)],
      ['pdb.yaml', renderServerDisruptionBudget(server, ns), ACCESS],
    ]),
    ...place(dir, ROUTING, [
      ['service.yaml', renderServerService(server, ns)],
      ['headless-service.yaml', renderHeadlessService(server, ns)],
      ['backend.yaml', renderBackend(server, ns)],
      ['route.yaml', renderServerRoute(server, registry)],
      ['network-policy.yaml', renderServerNetworkPolicy(server, registry), ACCESS],
    ]),
    ...place(dir, ACCESS_POLICY, [
      ['access-policy.yaml', renderRouteAccessPolicy(server, registry)],
      ['tool-access-policy.yaml', renderToolAccessPolicy(server, registry)],
    ]),
    ...place(dir, TOOL_LOCK, [['tool-lock.yaml', renderToolLockConfigMap(server, ns)]]),
    ...place(dir, TOKEN_REFRESH, [
      ['token-service-account.yaml', refresh && renderTokenServiceAccount(server, refresh, ns)],
      ['token-role.yaml', refresh && renderTokenRole(server, refresh, ns)],
      ['token-role-binding.yaml', refresh && renderTokenRoleBinding(server, refresh, ns)],
      ['token-cronjob.yaml', refresh && renderTokenCronJob(server, refresh, ns)],
    ]),
    ...place(dir, MONITORS, [['pod-monitor.yaml', renderServerPodMonitor(server, registry)]]),
    ...place(dir, ALERT_RULES, [['prometheus-rule.yaml', renderServerRules(server, registry)]]),
  ];
}

/**
 * Every object with its place: the shared unit (namespace, gateway, auth, UI), then one unit per server by
 * name. A server's route lives in its own unit; the JWT policy in the shared unit selects it by label.
 */
export function renderPlaced(registry: Registry): PlacedObject[] {
  return [
    ...within(SHARED_UNIT, [
      ...place('', GATEWAY, [['namespace.yaml', renderNamespace(registry)]]),
      ...place('gateway', GATEWAY, [
        ['gateway.yaml', renderGateway(registry)],
        ['proxy-parameters.yaml', renderProxyParameters(registry), PROXY_PARAMETERS],
        ['access-log-policy.yaml', renderAccessLogPolicy(registry), AUDIT_LOG],
        ['certificate.yaml', renderEdgeCertificate(registry), EDGE],
        ['https-redirect-route.yaml', renderHttpsRedirectRoute(registry), EDGE],
        ['proxy-network-policy.yaml', renderProxyNetworkPolicy(registry), EDGE],
        ['tracing-policy.yaml', renderTracingPolicy(registry), TRACING],
        ['pod-monitor.yaml', renderGatewayPodMonitor(registry), MONITORS],
      ]),
      ...place('auth', AUTH, [
        ['jwks-backend.yaml', renderJwksBackend(registry)],
        ['policy.yaml', renderAuthPolicy(registry)],
      ]),
      ...renderUi(registry),
      ...place('ui', MONITORS, [['pod-monitor.yaml', renderUiPodMonitor(registry)]]),
      ...place('monitoring', DASHBOARD, [['dashboard.yaml', renderDashboard(registry, (server) => server.tokenRefresh && serverNames(server.name).tokenCronJob)]]),
    ]),
    ...registry.servers.flatMap((server) => renderServer(server, registry)),
  ];
}

/** All objects as plain JSON, in a deterministic order. */
export function renderObjects(registry: Registry): KubeObject[] {
  return renderPlaced(registry).map((p) => p.object);
}
