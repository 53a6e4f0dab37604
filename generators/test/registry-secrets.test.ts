/**
 * Secrets typed into the registry are refused (issue 19, item 8): servers.json is committed and `env` lands in
 * base/ as plain text. Each case types a secret the way people do and expects the problem to name the field and
 * point at secretMounts; plain settings that merely look technical pass; an exception is written in the entry.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, parseRegistry } from '../src/registry/parse.ts';
import { credentialLikeValue, secretLikeName } from '../src/registry/secrets.ts';
import { FIXTURES, parseWithLocks } from './helpers.ts';

const goodJson = (): Record<string, any> => JSON.parse(readFileSync(resolve(FIXTURES, 'registry-good.json'), 'utf8'));

function parseAfter(mutate: (registry: Record<string, any>) => void) {
  const json = goodJson();
  mutate(json);
  return parseWithLocks(JSON.stringify(json, null, 2));
}

function problemsAfter(mutate: (registry: Record<string, any>) => void): string[] {
  const { registry, problems } = parseAfter(mutate);
  expect(registry).toBeUndefined();
  return problems.map((p) => formatProblem(p));
}

// Made once with crypto.randomBytes: a test must not depend on what a random draw happens to contain.
const RANDOM_BASE64URL = 'A0QKVvzwlY6U73XvDFTd7KbE0d-d9EyL';
const RANDOM_HEX = '0ee8022f146506118d28004b6557a32b86117dab';
const RANDOM_BASE64 = '96QJ4wBTIq3bcP+QPod25saLra7a6l6Q4ubSWfUW';
const JWT = 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkphbmUifQ.c2lnbmF0dXJlLXBhcnQtb2YtdGhlLXRva2Vu';

describe('a secret in env', () => {
  it('refuses DB_PASSWORD: "hunter2", naming the field and pointing at secretMounts', () => {
    const problems = problemsAfter((r) => (r.servers[2].env.DB_PASSWORD = 'hunter2'));
    expect(problems).toEqual([
      expect.stringMatching(/^servers\.json:\d+:\d+: servers\[2\]\.env\.DB_PASSWORD: DB_PASSWORD looks like a secret \(its name ends in PASSWORD\); /),
    ]);
    expect(problems[0]).toContain('put the value in a Secret and reference it with secretMounts');
    expect(problems[0]).toContain('say why in notSecrets.DB_PASSWORD');
    expect(problems[0]).not.toContain('hunter2');
  });

  it('refuses HUBSPOT_ACCESS_TOKEN: "pat-..." by its name and by its shape', () => {
    const pat = 'pat-na1-11111111-2222-3333-4444-555555555555';
    expect(problemsAfter((r) => (r.servers[1].env.HUBSPOT_ACCESS_TOKEN = pat))).toEqual([
      expect.stringMatching(/servers\[1\]\.env\.HUBSPOT_ACCESS_TOKEN: HUBSPOT_ACCESS_TOKEN looks like a secret \(its name ends in TOKEN\)/),
    ]);
    expect(problemsAfter((r) => (r.servers[1].env.HUBSPOT_AUTH = pat))).toEqual([
      expect.stringMatching(/servers\[1\]\.env\.HUBSPOT_AUTH: HUBSPOT_AUTH looks like a secret \(it looks like a HubSpot private app token \(pat-\.\.\.\)\)/),
    ]);
  });

  it('refuses credential-shaped values under innocent names, each for its reason', () => {
    const cases: [string, string][] = [
      [JWT, 'a JWT'],
      ['ghp_0123456789abcdefghijABCDEFGHIJ012345', 'a GitHub token'],
      ['postgres://app:s3cret@db.internal:5432/app', 'a URL with a password'],
      ['Server=sql;Database=a;User Id=u;Password=p4ss;', 'a connection string with a password or key'],
      ['-----BEGIN RSA PRIVATE KEY-----\nMIIE...', 'a private key'],
      ['AKIAABCDEFGHIJKLMNOP', 'an AWS access key id'],
      [RANDOM_BASE64URL, 'a long random string'],
      [RANDOM_HEX, 'a long random string'],
      [`--key=${RANDOM_BASE64}`, 'a long random string'],
    ];
    for (const [value, reason] of cases) {
      const problems = problemsAfter((r) => (r.servers[0].env = { UPSTREAM_SETTING: value }));
      expect(problems, value).toHaveLength(1);
      expect(problems[0]).toContain(`servers[0].env.UPSTREAM_SETTING: UPSTREAM_SETTING looks like a secret (it looks like ${reason}`);
    }
  });

  it('accepts plain settings: the repository registry, paths, URLs, ids, hosts, names built from words', () => {
    const { problems } = parseAfter((r) => {
      r.servers[0].env = {
        TOKEN_URL: 'https://api.hubapi.com/oauth/2026-03/token',
        PASSWORD_FILE: '/var/run/secrets/db/password',
        SECRET_NAME: 'mcp-mssql-login',
        TENANT_ID: '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
        DATABASE_HOST: 'myserver.database.windows.net',
        SCHEMA_NAME: 'analytics_reporting_2026_database',
        HANDLER_CLASS: 'com.example.service.Implementation2',
        MSSQL_AUTH: 'entra-workload-identity',
        TOKEN_TTL_SECONDS: '1800',
        DB_PASSWORD: '',
      };
    });
    expect(problems).toEqual([]);
  });

  it('takes a deliberate exception written in the entry, and refuses one for a variable that is not there', () => {
    const { problems } = parseAfter((r) => {
      r.servers[0].env = { PUBLIC_SIGNING_KEY_ID: RANDOM_BASE64URL, WIDGET_TOKEN: 'public-demo' };
      r.servers[0].notSecrets = { PUBLIC_SIGNING_KEY_ID: 'the key id is published in the JWKS', WIDGET_TOKEN: 'a public widget id, shown in every page' };
    });
    expect(problems).toEqual([]);
    expect(problemsAfter((r) => (r.servers[0].notSecrets = { GONE: 'was removed from env long ago' }))).toEqual([
      expect.stringMatching(/servers\[0\]\.notSecrets\.GONE: GONE is not in env; remove the exception$/),
    ]);
    expect(problemsAfter((r) => (r.servers[0].notSecrets = { X: 'because' }))).toEqual([
      expect.stringMatching(/servers\[0\]\.notSecrets\.X: must NOT have fewer than 10 characters/),
    ]);
  });
});

describe('a credential in any other field', () => {
  it('refuses a password in a URL or a token in a description, with no exception possible', () => {
    expect(problemsAfter((r) => (r.ui.publicUrl = 'https://admin:hunter2@mcp.example.com'))).toEqual([
      expect.stringMatching(/ui\.publicUrl: looks like a credential \(it looks like a URL with a password\)/),
    ]);
    expect(problemsAfter((r) => (r.servers[0].description = `Call it with ${JWT}`))).toEqual([
      expect.stringMatching(/servers\[0\]\.description: looks like a credential \(it looks like a JWT\)/),
    ]);
  });

  it('leaves image digests and GUIDs alone', () => {
    const { problems } = parseAfter((r) => (r.servers[0].image = `ghcr.io/example/mcp-example@sha256:${'0123456789abcdef'.repeat(4)}`));
    expect(problems).toEqual([]);
  });
});

describe('the rules', () => {
  it('reads the last words of a name, in SNAKE_CASE or camelCase', () => {
    expect(['DB_PASSWORD', 'dbPassword', 'STRIPE_API_KEY', 'AWS_SECRET_ACCESS_KEY', 'GITHUB_TOKEN', 'JWT_SECRET', 'AZURE_STORAGE_CONNECTION_STRING', 'SENTRY_DSN'].map(secretLikeName)).not.toContain(undefined);
    expect(['TOKEN_URL', 'PASSWORD_FILE', 'MSSQL_AUTH', 'CACHE_KEY', 'PRIMARY_KEY_COLUMN', 'TOKEN_PROVIDER'].map(secretLikeName)).toEqual(Array(6).fill(undefined));
  });

  it('checks randomness only where asked (env values), not in images or ids', () => {
    expect(credentialLikeValue(RANDOM_BASE64URL, { randomness: true })).toMatch(/random/);
    expect(credentialLikeValue(RANDOM_BASE64URL, { randomness: false })).toBeUndefined();
  });
});
