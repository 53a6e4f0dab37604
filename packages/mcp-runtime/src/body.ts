/** Reads a request body under a byte limit, without buffering more than the limit. */
import type { IncomingMessage } from 'node:http';

/** The body was larger than the limit. */
export class BodyTooLargeError extends Error {
  constructor(limit: number) {
    super(`Request body exceeds ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/** The body did not fit the bytes left in the in-flight budget. */
export class BodyBudgetError extends Error {
  constructor() {
    super('Request body does not fit the bytes in flight');
    this.name = 'BodyBudgetError';
  }
}

/**
 * After a refusal the rest of the body is read and dropped, so the client finishes sending and reads the
 * answer (closing a socket with unread data makes the kernel reset it, and the client then sees a broken
 * pipe instead of the 413). Past this many dropped bytes the connection is cut.
 */
export const MAX_DISCARDED_BYTES = 64 * 1024 * 1024;

/** Whether a declared Content-Length already exceeds the limit. */
export function declaredLengthExceeds(contentLength: string | undefined, limit: number): boolean {
  if (contentLength === undefined) return false;
  const declared = Number(contentLength);
  return Number.isFinite(declared) && declared > limit;
}

/** Reads and drops what is left of a body, cutting the connection past MAX_DISCARDED_BYTES. */
export function discardBody(req: IncomingMessage): void {
  let dropped = 0;
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > MAX_DISCARDED_BYTES) req.socket.destroy();
  });
  req.on('error', () => {});
  req.resume();
}

/**
 * Collects the body. Rejects with BodyTooLargeError as soon as more than `limit` bytes arrived, and with
 * BodyBudgetError when `take(bytes)` refuses a chunk (the caller answers; the rest of the body is dropped),
 * and with the stream's error on an abort.
 */
export function readBody(req: IncomingMessage, limit: number, take: (bytes: number) => boolean = () => true): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const refuse = (error: Error): void => {
      cleanup();
      discardBody(req);
      reject(error);
    };
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received > limit) return refuse(new BodyTooLargeError(limit));
      if (!take(chunk.length)) return refuse(new BodyBudgetError());
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const onAborted = (): void => onError(new Error('request aborted'));
    function cleanup(): void {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
    }
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}
