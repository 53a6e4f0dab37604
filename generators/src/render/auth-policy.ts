/**
 * Strict Entra ID JWT on every MCP route: the AgentgatewayBackend that reaches the JWKS over TLS and the
 * AgentgatewayPolicy that selects every HTTPRoute of an MCP server by label.
 */
import { FIXED } from '../names.ts';
import type { Auth, Registry } from '../registry/types.ts';
import { metadata, type KubeObject } from './meta.ts';

const AUTH_ID = { name: 'azure-mcp-authn', component: 'auth' };

/** The issuer Entra puts in tokens of this version: v2 `https://login.microsoftonline.com/<tenant>/v2.0`, v1 `https://sts.windows.net/<tenant>/`. */
export function entraIssuer(auth: Pick<Auth, 'tenantId' | 'tokenVersion'>): string {
  return auth.tokenVersion === 1
    ? `https://sts.windows.net/${auth.tenantId}/`
    : `https://${FIXED.entraHost}/${auth.tenantId}/v2.0`;
}

/** Path of the tenant's signing keys on login.microsoftonline.com (the same keys sign v1 and v2 tokens). */
export function jwksPath(auth: Pick<Auth, 'tenantId'>): string {
  return `/${auth.tenantId}/discovery/v2.0/keys`;
}

/** Backend `entra-jwks`: login.microsoftonline.com:443 with TLS from the system CAs (`policies.tls: {}`, SNI inferred). */
export function renderJwksBackend(registry: Registry): KubeObject {
  return {
    apiVersion: 'agentgateway.dev/v1alpha1',
    kind: 'AgentgatewayBackend',
    metadata: metadata(FIXED.jwksBackend, registry.namespace, { name: FIXED.jwksBackend, component: 'auth' }),
    spec: {
      static: { host: FIXED.entraHost, port: 443 },
      policies: { tls: { sni: FIXED.entraHost } },
    },
  };
}

/**
 * The routes the policy covers: every HTTPRoute in the namespace that carries the MCP server component label,
 * whichever Argo CD Application created it and whenever (docs/fleet-layout.md, "No route without its policy").
 */
export const MCP_ROUTE_SELECTOR = {
  group: 'gateway.networking.k8s.io',
  kind: 'HTTPRoute',
  matchLabels: { 'app.kubernetes.io/component': FIXED.serverComponent },
} as const;

function policy(registry: Registry, name: string): KubeObject {
  const { auth } = registry;
  return {
    apiVersion: 'agentgateway.dev/v1alpha1',
    kind: 'AgentgatewayPolicy',
    metadata: metadata(name, registry.namespace, AUTH_ID),
    spec: {
      targetSelectors: [{ ...MCP_ROUTE_SELECTOR, matchLabels: { ...MCP_ROUTE_SELECTOR.matchLabels } }],
      traffic: {
        jwtAuthentication: {
          mode: 'Strict',
          providers: [
            {
              issuer: entraIssuer(auth),
              audiences: [...auth.audiences],
              jwks: {
                remote: {
                  backendRef: { group: 'agentgateway.dev', kind: 'AgentgatewayBackend', name: FIXED.jwksBackend },
                  jwksPath: jwksPath(auth),
                },
              },
            },
          ],
        },
      },
    },
  };
}

/**
 * `azure-mcp-authn-policy`, rendered even with no server: a selector (unlike targetRefs, capped at 16 names)
 * covers any number of routes, and it already covers a route that a later sync adds.
 */
export function renderAuthPolicy(registry: Registry): KubeObject {
  return policy(registry, FIXED.policy);
}
