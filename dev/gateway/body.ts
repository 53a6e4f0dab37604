/** Reading a request body into memory with a cap, as v1.4.1 does wherever it buffers one. */
import type http from 'node:http';

/** v1.4.1's `DEFAULT_BUFFER_LIMIT` (crates/http/src/lib.rs ~L6): 2 MiB, for MCP messages and OAuth forms alike. */
export const BUFFER_LIMIT = 2_097_152;

/** The whole body, or `undefined` once it passes `limit` (the rest is left unread: answer, then close). */
export function readBody(req: http.IncomingMessage, limit = BUFFER_LIMIT): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}
