/**
 * Request smuggling through the MCP pass-through (issue 19, item 1), attacked as an outsider would: a signed-in
 * user opens a raw socket to the UI server and sends a DELETE (or GET) with `Transfer-Encoding: chunked` whose
 * body is a complete second HTTP request. A pass-through that drops the framing and pipes the body on makes the
 * next hop (the gateway stand-in, on a pooled keep-alive connection) read that body as a second request, whose
 * answer then reaches another user. Here 90 normal calls of other users follow each attack; each must get its
 * own answer.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from './support/agent.ts';
import { me, signIn } from './support/sign-in.ts';
import { startStack, type Stack } from './support/stack.ts';

let stack: Stack;
const users: { agent: Agent; csrf: string }[] = [];

beforeAll(async () => {
  stack = await startStack();
  for (let i = 0; i < 4; i++) {
    const agent = new Agent();
    await signIn(agent, stack.publicUrl);
    users.push({ agent, csrf: (await me(agent, stack.publicUrl)).body.csrfToken as string });
  }
});
afterAll(async () => {
  await stack?.close();
});

/** One raw HTTP/1.1 exchange on a fresh socket: `answer` is everything the server sent until it closed or went quiet; `firstByte` resolves on the first data. */
function rawExchange(target: URL, request: string, quietMs = 1500): { answer: Promise<string>; firstByte: Promise<void> } {
  let answered!: () => void;
  const firstByte = new Promise<void>((resolve) => (answered = resolve));
  const answer = new Promise<string>((resolve, reject) => {
    const socket = net.connect(Number(target.port), target.hostname);
    let received = '';
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      answered();
      resolve(received);
    };
    socket.setEncoding('latin1');
    socket.on('connect', () => socket.write(request, 'latin1'));
    socket.on('data', (chunk: string) => {
      received += chunk;
      answered();
      clearTimeout(timer);
      timer = setTimeout(finish, quietMs);
    });
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('error', reject);
  });
  return { answer, firstByte };
}

/** The request line and the headers a signed-in user's MCP call carries (cookie, CSRF token, Origin, MCP headers). */
function signedInHead(requestLine: string, host: string, user: { agent: Agent; csrf: string }, { json = true, mcp = true } = {}): string[] {
  return [
    requestLine,
    `Host: ${host}`,
    `Cookie: ${user.agent.cookieHeader(stack.publicUrl)}`,
    `X-CSRF-Token: ${user.csrf}`,
    `Origin: ${stack.publicUrl.origin}`,
    ...(json ? ['Content-Type: application/json'] : []),
    ...(mcp ? ['Accept: application/json, text/event-stream', 'Mcp-Protocol-Version: 2025-11-25'] : []),
  ];
}

/**
 * The attack: a body-less method with a chunked body that is a whole request for the next hop. The smuggled
 * request is the attacker's own slow call (long_task through the gateway's /ui route), so its answer comes back
 * on the pooled connection after that connection was handed to another user's call, with the same JSON-RPC id.
 */
function smugglingRequest(method: 'DELETE' | 'GET', user: { agent: Agent; csrf: string }): string {
  const call = JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'long_task', arguments: { steps: 2, stepMs: 150 } } });
  const smuggled = [
    ...signedInHead('POST /ui/api/mcp/mcp-example HTTP/1.1', stack.publicUrl.host, user),
    `Content-Length: ${Buffer.byteLength(call)}`,
    '',
    call,
  ].join('\r\n');
  return [
    ...signedInHead(`${method} /api/mcp/mcp-example HTTP/1.1`, stack.ui.url.host, user, { json: false }),
    'Transfer-Encoding: chunked',
    '',
    `${Buffer.byteLength(smuggled).toString(16)}\r\n${smuggled}\r\n0\r\n\r\n`,
  ].join('\r\n');
}

/** A normal user's call whose answer names its caller: echo with a unique text. */
async function echoAs(user: { agent: Agent; csrf: string }, text: string): Promise<{ status: number; body: string }> {
  const response = await fetch(new URL('/ui/api/mcp/mcp-example', stack.publicUrl), {
    method: 'POST',
    headers: {
      cookie: user.agent.cookieHeader(stack.publicUrl),
      'x-csrf-token': user.csrf,
      origin: stack.publicUrl.origin,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-11-25',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'echo', arguments: { text } } }),
  });
  return { status: response.status, body: await response.text() };
}

describe('request smuggling through /api/mcp/<name>', () => {
  for (const method of ['DELETE', 'GET'] as const) {
    it(`a ${method} with a chunked body carrying a second request is refused, and 90 other calls each get their own answer`, { timeout: 120_000 }, async () => {
      const attacker = users[0]!;
      const others = users.slice(1);
      const wrong: string[] = [];
      const attackAnswers: string[] = [];
      for (let wave = 0; wave < 9; wave++) {
        // The other users' calls start as soon as the attacker has its answer: the pooled connection is free again.
        const attack = rawExchange(stack.ui.url, smugglingRequest(method, attacker));
        await attack.firstByte;
        const results = await Promise.all(
          Array.from({ length: 10 }, async (_, i) => {
            const text = `call-${method}-${wave}-${i}`;
            return { text, ...(await echoAs(others[i % others.length]!, text)) };
          }),
        );
        for (const { text, status, body } of results) {
          if (status !== 200 || !body.includes(`"text":"${text}"`)) wrong.push(`${text}: ${status} ${body.slice(0, 120)}`);
        }
        attackAnswers.push(await attack.answer);
      }
      expect(wrong).toEqual([]);
      for (const answer of attackAnswers) expect(answer).toMatch(/^HTTP\/1\.1 400 [^]*take no body/);
    });
  }

  it('a GET or DELETE with a Content-Length body is refused too', async () => {
    const user = users[1]!;
    for (const method of ['GET', 'DELETE']) {
      const request = [
        ...signedInHead(`${method} /api/mcp/mcp-example HTTP/1.1`, stack.ui.url.host, user, { json: false, mcp: false }),
        'Content-Length: 5',
        '',
        'hello',
      ].join('\r\n');
      expect(await rawExchange(stack.ui.url, request).answer).toMatch(/^HTTP\/1\.1 400 [^]*take no body/);
    }
  });

  it('a POST with a chunked body reaches the server as one request (the framing is kept)', async () => {
    const user = users[2]!;
    const body = JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'echo', arguments: { text: 'chunked-post' } } });
    const half = Math.floor(body.length / 2);
    const chunks = [body.slice(0, half), body.slice(half)].map((part) => `${Buffer.byteLength(part).toString(16)}\r\n${part}\r\n`).join('');
    const request = [
      ...signedInHead('POST /api/mcp/mcp-example HTTP/1.1', stack.ui.url.host, user),
      'Transfer-Encoding: chunked',
      'Connection: close',
      '',
      `${chunks}0\r\n\r\n`,
    ].join('\r\n');
    const answer = await rawExchange(stack.ui.url, request).answer;
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer).toContain('"text":"chunked-post"');
  });
});
