/** Host/Origin guards, header checks and body limits, as pure functions. */
import { describe, expect, it } from 'vitest';
import { declaredLengthExceeds } from '../src/body.ts';
import { checkHost, checkOrigin, hostnameOf } from '../src/guards.ts';
import { acceptsMcpResponses, isJsonContentType } from '../src/http-checks.ts';

describe('hostnameOf', () => {
  it.each([
    ['localhost:8000', 'localhost'],
    ['MCP-Example-Service', 'mcp-example-service'],
    ['[::1]:8000', '[::1]'],
    ['[::1]', '[::1]'],
    ['10.0.0.7', '10.0.0.7'],
  ])('%s → %s', (header, name) => expect(hostnameOf(header)).toBe(name));
  it.each([undefined, '', 'evil.com:abc', '[::1', 'a b', 'host/path'])('rejects %j', (header) => expect(hostnameOf(header)).toBeUndefined());
});

describe('checkHost', () => {
  const allowed = ['localhost', 'mcp-example-service'];
  it('accepts an allowed name with any port', () => {
    expect(checkHost('localhost:1234', allowed)).toBeUndefined();
    expect(checkHost('mcp-example-service:8000', allowed)).toBeUndefined();
  });
  it('refuses another host (DNS rebinding) with 403', () => {
    expect(checkHost('evil.example:8000', allowed)).toEqual({ status: 403, message: 'Forbidden: host "evil.example" is not allowed' });
  });
  it('refuses a missing or malformed Host', () => {
    expect(checkHost(undefined, allowed)?.status).toBe(403);
    expect(checkHost('localhost:notaport', allowed)?.status).toBe(403);
  });
});

describe('checkOrigin', () => {
  const allowed = ['https://app.example.com'];
  it('lets requests without Origin through (non-browser clients)', () => expect(checkOrigin(undefined, allowed)).toBeUndefined());
  it('accepts a listed origin, with or without a trailing slash', () => {
    expect(checkOrigin('https://app.example.com', allowed)).toBeUndefined();
    expect(checkOrigin('https://app.example.com/', allowed)).toBeUndefined();
  });
  it('refuses an unlisted origin, another port or scheme of a listed one, and "null"', () => {
    expect(checkOrigin('https://evil.example', allowed)?.status).toBe(403);
    expect(checkOrigin('https://app.example.com:8443', allowed)?.status).toBe(403);
    expect(checkOrigin('http://app.example.com', allowed)?.status).toBe(403);
    expect(checkOrigin('null', allowed)?.status).toBe(403);
    expect(checkOrigin('::garbage::', allowed)?.status).toBe(403);
  });
  it('accepts a same-origin request (the Origin is this very host) and nothing else with an empty list', () => {
    expect(checkOrigin('http://localhost:8000', [], 'localhost:8000')).toBeUndefined();
    expect(checkOrigin('http://localhost:9999', [], 'localhost:8000')?.status).toBe(403);
    expect(checkOrigin('http://evil.example:8000', [], 'localhost:8000')?.status).toBe(403);
  });
});

describe('isJsonContentType', () => {
  it.each(['application/json', 'application/json; charset=utf-8', 'Application/JSON'])('accepts %s', (value) => expect(isJsonContentType(value)).toBe(true));
  it.each([undefined, 'text/plain', 'application/jsonx', 'multipart/form-data'])('refuses %s', (value) => expect(isJsonContentType(value)).toBe(false));
});

describe('acceptsMcpResponses', () => {
  it.each(['application/json, text/event-stream', 'text/event-stream;q=0.9, Application/JSON'])('accepts %s', (value) =>
    expect(acceptsMcpResponses(value)).toBe(true),
  );
  it.each([undefined, 'application/json', 'text/event-stream', 'text/html', '*/*', 'application/*, text/*', 'application/json, text/event-stream;q=0'])('refuses %s', (value) =>
    expect(acceptsMcpResponses(value)).toBe(false),
  );
});

describe('declaredLengthExceeds', () => {
  it('compares a declared Content-Length with the limit', () => {
    expect(declaredLengthExceeds('1025', 1024)).toBe(true);
    expect(declaredLengthExceeds('1024', 1024)).toBe(false);
    expect(declaredLengthExceeds(undefined, 1024)).toBe(false);
  });
});
