/** Which leg serves a message: the shared-instance fast path or the SDK entry. */
import { describe, expect, it } from 'vitest';
import { chooseLeg, classifyWithSdk, legacyCancellation, type Leg, type StandardHeaders } from '../src/fast-route.ts';

const NO_HEADERS: StandardHeaders = { protocolVersion: undefined, mcpMethod: undefined, mcpName: undefined };
const call = (params: Record<string, unknown>) => ({ jsonrpc: '2.0', id: 1, method: 'tools/call', params });
const envelope = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientInfo': { name: 'c', version: '1' }, 'io.modelcontextprotocol/clientCapabilities': {} };
const modernHeaders: StandardHeaders = { protocolVersion: '2026-07-28', mcpMethod: 'tools/call', mcpName: 'echo' };

describe('chooseLeg', () => {
  it('serves plain 2025-era requests for hot methods on the legacy instance', () => {
    expect(chooseLeg(call({ name: 'echo', arguments: {} }), NO_HEADERS, new Set())).toBe('legacy');
    expect(chooseLeg(call({ name: 'echo' }), { ...NO_HEADERS, protocolVersion: '2025-06-18' }, new Set())).toBe('legacy');
    expect(chooseLeg({ jsonrpc: '2.0', id: 'a', method: 'tools/list' }, NO_HEADERS, new Set())).toBe('legacy');
  });

  it('serves valid 2026-07-28 requests with matching standard headers on the modern instance', () => {
    expect(chooseLeg(call({ name: 'echo', arguments: {}, _meta: envelope }), modernHeaders, new Set())).toBe('modern');
  });

  it.each([
    ['initialize', { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'c', version: '1' } } }, NO_HEADERS],
    ['a notification', { jsonrpc: '2.0', method: 'notifications/initialized' }, NO_HEADERS],
    ['a batch', [call({ name: 'echo' })], NO_HEADERS],
    ['a response', { jsonrpc: '2.0', id: 1, result: {} }, NO_HEADERS],
    ['server/discover', { jsonrpc: '2.0', id: 1, method: 'server/discover', params: { _meta: envelope } }, { ...modernHeaders, mcpMethod: 'server/discover', mcpName: undefined }],
    ['an unsupported 2025 header version', call({ name: 'echo' }), { ...NO_HEADERS, protocolVersion: '1999-01-01' }],
    ['a modern request without the Mcp-Method header', call({ name: 'echo', _meta: envelope }), { ...modernHeaders, mcpMethod: undefined }],
    ['a modern request whose Mcp-Name differs', call({ name: 'echo', _meta: envelope }), { ...modernHeaders, mcpName: 'add' }],
    ['a modern header without the envelope', call({ name: 'echo' }), modernHeaders],
    ['a tool call without a name', call({ arguments: {} }), NO_HEADERS],
    ['an invalid _meta', call({ name: 'echo', _meta: { progressToken: {} } }), NO_HEADERS],
    ['a non-object _meta', call({ name: 'echo', _meta: 5 }), NO_HEADERS],
    ['an unknown top-level member', { jsonrpc: '2.0', id: 1, method: 'tools/list', extra: true }, NO_HEADERS],
    ['an unknown method', { jsonrpc: '2.0', id: 1, method: 'tasks/list' }, NO_HEADERS],
  ])('leaves %s to the SDK entry', (_what, body, headers) => {
    expect(chooseLeg(body, headers, new Set())).toBe('sdk');
  });

  it('leaves tools that need per-request checks to the SDK entry', () => {
    expect(chooseLeg(call({ name: 'guarded' }), NO_HEADERS, new Set(['guarded']))).toBe('sdk');
  });
});

describe('legacyCancellation', () => {
  it('reads the request id and reason of a 2025-era cancel', () => {
    expect(legacyCancellation({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 3, reason: 'user' } }, NO_HEADERS)).toEqual({ requestId: 3, reason: 'user' });
  });
  it('ignores other messages and 2026-07-28 ones', () => {
    expect(legacyCancellation({ jsonrpc: '2.0', method: 'notifications/progress', params: { requestId: 3 } }, NO_HEADERS)).toBeUndefined();
    expect(legacyCancellation({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 3, _meta: envelope } }, NO_HEADERS)).toBeUndefined();
    expect(legacyCancellation({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 3 } }, modernHeaders)).toBeUndefined();
  });
});

describe('chooseLeg agrees with the SDK classifier', () => {
  it.each<[string, unknown, StandardHeaders, Leg]>([
    ['a plain 2025-era call', call({ name: 'echo' }), NO_HEADERS, 'legacy'],
    ['a 2025-03-26 call with a progress token', call({ name: 'echo', _meta: { progressToken: 3 } }), { ...NO_HEADERS, protocolVersion: '2025-03-26' }, 'legacy'],
    ['a 2026-07-28 call with its envelope and headers', call({ name: 'echo', _meta: envelope }), modernHeaders, 'modern'],
    ['modern headers without the envelope', call({ name: 'echo' }), modernHeaders, 'sdk'],
    ['an envelope whose version is not a string', call({ name: 'echo', _meta: { 'io.modelcontextprotocol/protocolVersion': 42 } }), modernHeaders, 'sdk'],
    ['an envelope claiming a 2025 revision', call({ name: 'echo', _meta: { 'io.modelcontextprotocol/protocolVersion': '2025-11-25' } }), NO_HEADERS, 'sdk'],
  ])('%s: %#', (_what, body, headers, expected) => {
    const leg = chooseLeg(body, headers, new Set());
    expect(leg).toBe(expected);
    const outcome = classifyWithSdk(body, headers);
    // The fast path is taken only where the SDK routes the message the same way.
    if (leg === 'legacy') expect(outcome).toMatchObject({ kind: 'legacy', reason: 'no-claim' });
    if (leg === 'modern') expect(outcome).toMatchObject({ kind: 'modern', classification: { revision: '2026-07-28' } });
    if (leg === 'sdk') expect(outcome).not.toMatchObject({ kind: 'legacy', reason: 'no-claim', messageKind: 'request' });
  });
});
