/**
 * Strict Entra ID JWT on every MCP route: the AgentgatewayBackend that reaches the JWKS over TLS and the
 * AgentgatewayPolicy that selects every HTTPRoute of an MCP server by label. The policy also serves the MCP
 * authorization flow (`jwtAuthentication.mcp`, the Entra bridge of agentgateway v1.4.1); the challenge MCP
 * clients step up from when a token lacks the API's scope goes into every route's access policy.
 */
import { sourceOf } from './placed.ts';
import { DISCOVERY_PREFIXES, FIXED } from '../names.ts';
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

/**
 * The routes the policy covers: every HTTPRoute in the namespace that carries the MCP server component label,
 * whichever Argo CD Application created it and whenever (docs/fleet-layout.md, "No route without its policy").
 */
export const MCP_ROUTE_SELECTOR = {
  group: 'gateway.networking.k8s.io',
  kind: 'HTTPRoute',
  matchLabels: { 'app.kubernetes.io/component': FIXED.serverComponent },
} as const;

/** The scope's name as Entra writes it in the `scp` claim: `api://<id>/mcp.access` → `mcp.access`. */
export function scopeName(auth: Pick<Auth, 'scope'>): string {
  return auth.scope.slice(auth.scope.lastIndexOf('/') + 1);
}

/**
 * `jwtAuthentication.mcp` as v1.4.1 reads it (controller `translateJWTMCPConfig`): the Entra provider bridges
 * Entra's OpenID discovery into RFC 8414 metadata, strips the `resource` parameter Entra refuses, and answers
 * client registration with the public client id; `resourceMetadata` keys become snake_case in the served
 * RFC 9728 document, whose `resource` is computed from each request (the policy spans many routes).
 */
export function mcpAuthentication(auth: Pick<Auth, 'scope' | 'mcpClientId'>) {
  return {
    provider: 'Entra',
    clientId: auth.mcpClientId,
    resourceMetadata: { scopesSupported: [auth.scope], bearerMethodsSupported: ['header'] },
  };
}

/**
 * v1.4.1 has no scope check of its own and answers a failed `traffic.authorization` with a bare 403, so the
 * refusal a client can act on (RFC 6750 §3.1, MCP "insufficient scope") is a conditional direct response: it runs
 * after JWT validation and authorization (`proxy/httpproxy.rs`, `apply_request_policies`), with the verified
 * claims in `jwt`. Only delegated tokens carry `scp`: an application token (client credentials) cannot step up to
 * a scope, so it is left to the access rules. Only `x-forwarded-proto: https` changes the advertised scheme, so
 * the header cannot carry client text. Every route's access policy puts it first among its direct responses (a
 * route has one `directResponse`: v1.4.1 keeps the last policy's, it does not merge them).
 */
export function insufficientScopeResponse(auth: Pick<Auth, 'scope'>) {
  const name = scopeName(auth);
  // A missing header is an error in CEL, which would drop the whole header value: test for it first.
  const scheme = `(("x-forwarded-proto" in request.headers && request.headers["x-forwarded-proto"] == "https") ? "https" : request.scheme)`;
  const challenge =
    `'Bearer error="insufficient_scope", scope="${auth.scope}", resource_metadata="' + ${scheme} + "://" + request.host + ` +
    `"${DISCOVERY_PREFIXES.protectedResource}" + request.path + '"'`;
  return {
    condition: `has(jwt.scp) && !("${name}" in jwt.scp.split(" "))`,
    policy: {
      status: 403,
      headers: [
        { name: 'www-authenticate', value: challenge },
        { name: 'content-type', value: '"application/json"' },
      ],
      body: JSON.stringify({ error: 'insufficient_scope', error_description: `the access token lacks the scope ${name}` }),
    },
  };
}

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
          mcp: mcpAuthentication(auth),
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
