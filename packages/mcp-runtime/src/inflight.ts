/** Drain bookkeeping for graceful shutdown. */

/** Drain bookkeeping: how many MCP messages are in flight, and a waiter for zero. */
export class InflightTracker {
  private count = 0;
  private waiters: Array<() => void> = [];
  enter(): void {
    this.count += 1;
  }
  leave(): void {
    this.count -= 1;
    if (this.count === 0) for (const wake of this.waiters.splice(0)) wake();
  }
  get size(): number {
    return this.count;
  }
  /** Resolves true when nothing is in flight, false when the timeout passed first. */
  drained(timeoutMs: number): Promise<boolean> {
    if (this.count === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}
