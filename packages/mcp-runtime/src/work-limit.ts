/**
 * The bound on work in flight: how many JSON-RPC requests are being handled and how many request-body bytes
 * are held at once. A request that would pass either bound is refused with 503 and `Retry-After` before its
 * handler runs, so a burst of large calls cannot take the process past its memory limit.
 */

/** What one HTTP exchange holds; `release()` gives it back (idempotent). */
export interface WorkTicket {
  /** Adds `count` more requests (the other members of a batch); false when that passes the bound. */
  addRequests(count: number): boolean;
  /** Adds `bytes` of body; false when that passes the bound (nothing is added then). */
  addBytes(bytes: number): boolean;
  release(): void;
}

/** Which bound refused a request. */
export type WorkLimitReason = 'inflight_requests' | 'inflight_bytes';

/** Counts requests and bytes in flight against the two bounds. */
export class WorkLimit {
  private requests = 0;
  private bytes = 0;
  private readonly maxRequests: number;
  private readonly maxBytes: number;
  constructor(maxRequests: number, maxBytes: number) {
    this.maxRequests = maxRequests;
    this.maxBytes = maxBytes;
  }

  get inflightRequests(): number {
    return this.requests;
  }

  get inflightBytes(): number {
    return this.bytes;
  }

  /** A ticket holding one request, or undefined when the request bound is already reached. */
  admit(): WorkTicket | undefined {
    if (this.requests >= this.maxRequests) return undefined;
    this.requests += 1;
    let requests = 1;
    let bytes = 0;
    let released = false;
    return {
      addRequests: (count) => {
        if (released || this.requests + count > this.maxRequests) return false;
        this.requests += count;
        requests += count;
        return true;
      },
      addBytes: (count) => {
        if (released || this.bytes + count > this.maxBytes) return false;
        this.bytes += count;
        bytes += count;
        return true;
      },
      release: () => {
        if (released) return;
        released = true;
        this.requests -= requests;
        this.bytes -= bytes;
      },
    };
  }
}
