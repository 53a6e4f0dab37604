/**
 * A fetch that sends a chosen `Host` header, which the platform's fetch does not allow: for reaching a server
 * through `kubectl port-forward`, whose Host check (MCP_ALLOWED_HOSTS) admits only its Service's names. Plain
 * node:http(s) underneath; the answer streams, as the MCP client reads server-sent events from it.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';

type Fetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

async function bodyBytes(body: RequestInit['body']): Promise<Buffer | undefined> {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body);
  return Buffer.from(await new Response(body).arrayBuffer());
}

/** `fetch` with `Host: <host>` on every request. */
export function fetchWithHost(host: string): Fetch {
  return async (input, init = {}) => {
    const url = new URL(String(input));
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, name) => (headers[name] = value));
    headers.host = host;
    const body = await bodyBytes(init.body);
    if (body) headers['content-length'] = String(body.length);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<Response>((resolve, reject) => {
      const request = send(url, { method: init.method ?? 'GET', headers, signal: init.signal ?? undefined }, (answer: IncomingMessage) => {
        const answerHeaders = new Headers();
        for (const [name, value] of Object.entries(answer.headers)) {
          for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) answerHeaders.append(name, one);
        }
        const status = answer.statusCode ?? 502;
        const stream = status === 204 || status === 304 || init.method === 'HEAD' ? null : (Readable.toWeb(answer) as ReadableStream<Uint8Array>);
        resolve(new Response(stream, { status, statusText: answer.statusMessage ?? '', headers: answerHeaders }));
      });
      request.on('error', reject);
      request.end(body);
    });
  };
}
