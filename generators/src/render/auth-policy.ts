/**
 * Strict Entra ID JWT on every MCP route: the AgentgatewayBackend that reaches the JWKS over TLS and the
 * AgentgatewayPolicy objects (16 routes each, the CRD's cap on targetRefs).
 */
import { sourceOf } from './placed.ts';
import { FIXED, MAX_POLICY_TARGETS, policyName } from '../names.ts';
import type { Auth, Registry } from '../registry/types.ts';
import { metadata, type KubeObject } from './meta.ts';

/** This module, as the headers of the files it renders name it. */
export const SOURCE = sourceOf(import.meta.url);

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

function policy(registry: Registry, name: string, routeNames: string[]): KubeObject {
  const { auth } = registry;
  return {
    apiVersion: 'agentgateway.dev/v1alpha1',
    kind: 'AgentgatewayPolicy',
    metadata: metadata(name, registry.namespace, AUTH_ID),
    spec: {
      targetRefs: routeNames.map((route) => ({ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: route })),
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
 * `azure-mcp-authn-policy` for the first 16 MCP routes, then `-2`, `-3` ... so every route is covered.
 * With no server there is no policy (targetRefs may not be empty).
 */
export function renderAuthPolicies(registry: Registry, routeNames: string[]): KubeObject[] {
  const policies: KubeObject[] = [];
  for (let start = 0; start < routeNames.length; start += MAX_POLICY_TARGETS) {
    policies.push(policy(registry, policyName(policies.length), routeNames.slice(start, start + MAX_POLICY_TARGETS)));
  }
  return policies;
}
