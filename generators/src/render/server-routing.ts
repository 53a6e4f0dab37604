/** How traffic reaches a server: Services, AgentgatewayBackend, HTTPRoute `/mcp/<name>`, NetworkPolicy. */
import { sourceOf } from './placed.ts';
import type { IHTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import type { IService } from 'kubernetes-models/v1/Service';
import { discoveryPaths, serverNames, serviceHost } from '../names.ts';
import type { Registry, Server } from '../registry/types.ts';
import { gatewayOnlyIngress } from './access.ts';
import { gatewayParentRefs } from './gateway.ts';
import { metadata, selectorLabels, type KubeObject } from './meta.ts';
import { serverId } from './server-workload.ts';

/** This module, as the headers of the files it renders name it. */
export const SOURCE = sourceOf(import.meta.url);

/** appProtocol of the Service port: only read for selector targets, harmless here, and what the docs show. */
export const MCP_APP_PROTOCOL = 'agentgateway.dev/mcp';

/** Service `<name>-service`: the port `http` the backend target points at. */
export function renderServerService(server: Server, namespace: string): KubeObject {
  const id = serverId(server);
  const service: IService = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata(serverNames(server.name).service, namespace, id),
    spec: {
      type: 'ClusterIP',
      selector: selectorLabels(id),
      ports: [{ name: 'http', port: server.port, targetPort: 'http', protocol: 'TCP', appProtocol: MCP_APP_PROTOCOL }],
    },
  };
  return service as KubeObject;
}

/** Headless Service `<name>-headless` that a StatefulSet's `serviceName` requires; undefined for a Deployment. */
export function renderHeadlessService(server: Server, namespace: string): KubeObject | undefined {
  if (server.workload !== 'StatefulSet') return undefined;
  const id = serverId(server);
  const service: IService = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata(serverNames(server.name).headlessService, namespace, id),
    spec: {
      clusterIP: 'None',
      selector: selectorLabels(id),
      ports: [{ name: 'http', port: server.port, targetPort: 'http', protocol: 'TCP' }],
    },
  };
  return service as KubeObject;
}

/** AgentgatewayBackend `<name>-backend`: one static StreamableHTTP target at the Service's DNS name and the server's path. */
export function renderBackend(server: Server, namespace: string): KubeObject {
  const names = serverNames(server.name);
  return {
    apiVersion: 'agentgateway.dev/v1alpha1',
    kind: 'AgentgatewayBackend',
    metadata: metadata(names.backend, namespace, serverId(server)),
    spec: {
      mcp: {
        targets: [
          {
            name: server.name,
            static: { host: serviceHost(names.service, namespace), port: server.port, protocol: 'StreamableHTTP', path: server.path },
          },
        ],
      },
    },
  };
}

/**
 * HTTPRoute `<name>`: PathPrefix `/mcp/<name>` to the backend, plus the two well-known prefixes under which the
 * route's JWT policy answers sign-in discovery (the policy only sees requests a route matched). No timeouts:
 * they would cut long-lived streams.
 */
export function renderServerRoute(server: Server, registry: Registry): KubeObject {
  const names = serverNames(server.name);
  const route: IHTTPRoute = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: metadata(names.route, registry.namespace, serverId(server)),
    spec: {
      parentRefs: gatewayParentRefs(registry),
      rules: [
        {
          name: 'mcp',
          matches: [server.routePath, ...discoveryPaths(server.routePath)].map((value) => ({ path: { type: 'PathPrefix' as const, value } })),
          backendRefs: [{ group: 'agentgateway.dev', kind: 'AgentgatewayBackend', name: names.backend }],
        },
      ],
    },
  };
  return route as unknown as KubeObject;
}

/** Only the gateway's proxy pods may reach the server port. */
export function renderServerNetworkPolicy(server: Server, registry: Registry): KubeObject {
  return gatewayOnlyIngress(server.name, registry.namespace, registry.gateway.name, server.port, serverId(server), registry.monitoring);
}
