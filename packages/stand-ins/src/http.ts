/** The HTTP plumbing every stand-in shares: reading a request's body and answering JSON. */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The whole body of a request, as UTF-8 text. */
export function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** Answers `body` as JSON (a string is sent as it is; `undefined` sends no body), with extra headers. */
export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json;charset=utf-8', ...headers });
  response.end(text);
}
