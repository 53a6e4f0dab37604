/**
 * A client sending a body far over a server's limit, as a proxy piping a client's upload does: shared by the
 * runtime's abuse tests and the servers' own (apps/mcp-hubspot, apps/mcp-mssql).
 */
import { connect } from 'node:net';
import { expect } from 'vitest';

/**
 * Sends a POST of `total` bytes on a raw socket, as a proxy piping a client's upload does (chunked unless
 * `declare`), then one more request on the same connection. Reports what came back and any error the sending
 * side saw: a server that closes the socket with the upload unread makes the kernel reset it (EPIPE).
 */
export function sendLarge(url: URL, total: number, declare: boolean): Promise<{ answers: string; writeError?: string }> {
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname);
    let answers = '';
    let writeError: string | undefined;
    socket.setEncoding('utf8').on('data', (chunk: string) => (answers += chunk));
    socket.on('error', (error) => (writeError ??= error.message));
    const head = (length: string) => `POST ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n${length}\r\n`;
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    let reported = false;
    const report = (): void => {
      if (reported) return;
      reported = true;
      socket.destroy();
      resolve({ answers, ...(writeError !== undefined && { writeError }) });
    };
    socket.on('close', () => setTimeout(report, 100));
    const finish = (): void => {
      socket.write(declare ? '' : '0\r\n\r\n');
      const ping = '{"jsonrpc":"2.0","id":2,"method":"ping"}';
      socket.write(`${head(`Content-Length: ${ping.length}\r\n`)}${ping}`);
      setTimeout(report, 500);
    };
    const pump = (): void => {
      while (sent < total && !socket.destroyed) {
        const piece = chunk.subarray(0, Math.min(chunk.length, total - sent));
        sent += piece.length;
        if (!declare) socket.write(`${piece.length.toString(16)}\r\n`);
        const flushed = socket.write(piece);
        if (!declare) socket.write('\r\n');
        if (!flushed) return void socket.once('drain', pump);
      }
      if (!socket.destroyed) finish();
    };
    socket.once('connect', () => {
      socket.write(head(declare ? `Content-Length: ${total}\r\n` : 'Transfer-Encoding: chunked\r\n'));
      pump();
    });
  });
}

/**
 * Sends 8 MiB chunked `sends` times, each on its own connection, and expects every send to read a 413 with its
 * JSON-RPC error (never a reset) and the same connection to serve the ping after it.
 */
export async function expectOversizedBodiesRefused(url: URL, sends = 20): Promise<void> {
  for (let i = 0; i < sends; i++) {
    const { answers, writeError } = await sendLarge(url, 8 * 1024 * 1024, false);
    expect(writeError, `send ${i}`).toBeUndefined();
    const [refusal, next] = answers.split(/(?=HTTP\/1\.1 )/);
    expect(refusal, `send ${i}`).toMatch(/^HTTP\/1\.1 413 /);
    expect(refusal, `send ${i}`).toContain('"code":-32000');
    expect(next, `send ${i}`).toMatch(/^HTTP\/1\.1 200 /);
  }
}
