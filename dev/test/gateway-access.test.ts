/**
 * The local gateway's authorization and transformation steps on their own, against the semantics of agentgateway
 * v1.4.1 they follow (`http/authorization.rs` `RuleSets::validate`; `http/transformation_cel.rs` and
 * `http/mod.rs` `apply_header`), with real CEL and plain exchanges (no network).
 */
import type http from 'node:http';
import { describe, expect, it } from 'vitest';
import { rulesAllow } from '../../generators/src/validate/agentgateway-cel.ts';
import { authorize, transform } from '../gateway/authorization.ts';
import type { RouteMatch, RuleSet } from '../gateway/manifests.ts';
import type { Exchange } from '../gateway/pipeline.ts';

const set = (action: RuleSet['action'], ...expressions: string[]): RuleSet => ({ policy: 'p', action, expressions });
const vars = (jwt: Record<string, unknown>) => ({ jwt });

describe('rulesAllow, as v1.4.1 validates rule sets', () => {
  it('allows everyone without rules, and denies when Allow rules exist and none holds', () => {
    expect(rulesAllow(undefined, vars({}))).toBe(true);
    expect(rulesAllow([set('Allow', 'jwt.a == 1')], vars({ a: 2 }))).toBe(false);
  });

  it('ORs Allow rules, across the rule sets of every policy', () => {
    const sets = [set('Allow', 'jwt.a == 1'), set('Allow', 'jwt.b == 1')];
    expect(rulesAllow(sets, vars({ a: 0, b: 1 }))).toBe(true);
    expect(rulesAllow(sets, vars({ a: 0, b: 0 }))).toBe(false);
  });

  it('applies Deny before Allow, and ANDs Require rules', () => {
    expect(rulesAllow([set('Allow', 'true'), set('Deny', 'jwt.blocked == true')], vars({ blocked: true }))).toBe(false);
    expect(rulesAllow([set('Allow', 'true'), set('Require', 'jwt.a == 1', 'jwt.b == 1')], vars({ a: 1, b: 0 }))).toBe(false);
    expect(rulesAllow([set('Allow', 'true'), set('Require', 'jwt.a == 1', 'jwt.b == 1')], vars({ a: 1, b: 1 }))).toBe(true);
    // Only Deny rules: a deny list, everyone else passes.
    expect(rulesAllow([set('Deny', 'jwt.blocked == true')], vars({ blocked: false }))).toBe(true);
  });

  it('counts a rule that fails to evaluate as not holding: an Allow stays closed, a Deny opens (why rendered rules guard with has())', () => {
    expect(rulesAllow([set('Allow', '"r" in jwt.roles')], vars({}))).toBe(false);
    expect(rulesAllow([set('Allow', 'true'), set('Deny', '"r" in jwt.roles')], vars({}))).toBe(true);
  });
});

function exchange(match: Partial<RouteMatch>, headers: http.IncomingHttpHeaders, claims?: Record<string, unknown>): Exchange {
  const req = { method: 'POST', headers: { host: 'gw.test', ...headers }, httpVersion: '1.1' } as unknown as http.IncomingMessage;
  const url = new URL('http://gw.test/mcp/x');
  return { req, url, externalUrl: url, started: 0, route: { match: { route: 'x', routeNamespace: 'n', pathType: 'PathPrefix', path: '/mcp/x', upstream: { kind: 'service', service: 's', namespace: 'n', port: 1 }, readsBody: false, ...match }, upstreamPath: '/mcp/x' }, ...(claims ? { claims } : {}) };
}

describe('the route steps', () => {
  const caller = { set: [{ name: 'x-mcp-caller', value: 'has(jwt.oid) ? jwt.oid : jwt.sub' }], add: [], remove: [] };

  it('answer a refused route 403 "authorization failed", as v1.4.1 does', () => {
    const answer = authorize(exchange({ authorization: [set('Allow', 'has(jwt.roles) && "R" in jwt.roles')] }, {}, { oid: 'o' }));
    expect(answer).toMatchObject({ status: 403, body: 'authorization failed', reason: 'Authorization' });
    expect(authorize(exchange({ authorization: [set('Allow', 'has(jwt.roles) && "R" in jwt.roles')] }, {}, { oid: 'o', roles: ['R'] }))).toBeUndefined();
  });

  it('replace a caller header the client sent with the verified one', () => {
    const e = exchange({ transformation: caller }, { 'x-mcp-caller': 'someone-else' }, { oid: 'verified-oid' });
    transform(e);
    expect(e.req.headers['x-mcp-caller']).toBe('verified-oid');
  });

  it("remove the client's copy when the expression fails, so a client never chooses the value", () => {
    const e = exchange({ transformation: caller }, { 'x-mcp-caller': 'someone-else' }, { name: 'no oid, no sub' });
    transform(e);
    expect(e.req.headers['x-mcp-caller']).toBeUndefined();
  });
});
