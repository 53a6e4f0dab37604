/** The one way the runtime writes a JSON answer: a serialized body with its Content-Length. */
import type { ServerResponse } from 'node:http';

export function sendJson(res: ServerResponse, status: number, body: string, headers?: Record<string, string>): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}
