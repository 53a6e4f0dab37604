/**
 * Cancellation cannot cross callers (issue 19, item 2), through the local gateway with the rendered policies: a
 * 2025-era `notifications/cancelled` names only a request id, which every client counts from 0 or 1, so the server
 * must tie it to the caller. The gateway sets `x-mcp-caller` from the verified token (and removed Authorization);
 * the runtime cancels only a request of the same caller. The attack: caller B sprays cancellations of ids 0-50,
 * with and without a forged `x-mcp-caller` naming A, while A's long_task runs; A's call must complete.
 * On the old code (the caller taken from the Authorization header, which the gateway removes) every caller looked
 * alike behind the gateway and B's spray killed A's call.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { STAND_IN_USERS } from '../entra-users.ts';
import type { Stack } from '../stack.ts';
import { startDevStack, userToken } from './support.ts';

let stack: Stack;
let alice: string;
let bob: string;
const ada = STAND_IN_USERS.find((u) => u.id === 'ada')!;

beforeAll(async () => {
  ({ stack } = await startDevStack());
  alice = await userToken(stack, 'ada');
  bob = await userToken(stack, 'grace');
});
afterAll(() => stack?.close());

function post(token: string, body: unknown, extra: Record<string, string> = {}): Promise<Response> {
  return fetch(new URL('/mcp/mcp-example', stack.gateway.url), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25', ...extra },
    body: JSON.stringify(body),
  });
}

const longTask = (id: number) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'long_task', arguments: { steps: 8, stepMs: 250 } } });
const cancel = (requestId: number) => ({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId, reason: 'spray' } });

/** Gives the call time to reach the server (8 steps of 250 ms leave 2 s to cancel it in; no verdict hangs on it). */
const reachServer = () => new Promise((r) => setTimeout(r, 400));

describe("another caller's cancellations", () => {
  it("do not cancel A's long_task: B sprays ids 0-50, also forging A's caller header", async () => {
    const call = post(alice, longTask(7)).then((r) => r.text());
    await reachServer();
    const sprays: Promise<Response>[] = [];
    for (let id = 0; id <= 50; id++) {
      sprays.push(post(bob, cancel(id)));
      sprays.push(post(bob, cancel(id), { 'x-mcp-caller': ada.oid }));
    }
    for (const response of await Promise.all(sprays)) {
      expect(response.status).toBeLessThan(300);
      await response.text();
    }
    expect(await call).toContain('Completed 8 steps');
  });

  it("still let A cancel its own call by id (the control: the notification reaches the server and works)", async () => {
    const call = post(alice, longTask(9)).then((r) => r.text());
    await reachServer();
    const response = await post(alice, cancel(9));
    expect(response.status).toBe(202);
    const text = await call;
    expect(text).not.toContain('Completed');
    // The server's own log line names the caller the gateway verified (A's first call completed: this is the second).
    const line = new RegExp(`"tool":"long_task","caller":"${ada.oid}","status":200,"outcome":"cancelled"`);
    await vi.waitFor(() => expect(stack.processes.get('mcp-example')!.output()).toMatch(line), { timeout: 10_000 });
  });
});
