/**
 * Parsing and the parse-tree checks run in a worker thread, so that no query, however it is shaped,
 * holds the event loop (and with it /healthz and every other request). Each check has a time budget;
 * past it the worker is terminated (which stops even a parse stuck in a loop) and the query is refused.
 * The next check starts a fresh worker.
 *
 * The worker runs this same module: `new Worker(import.meta.url)` names this file when it runs from
 * the sources and the whole bundle when it runs from the image's single file (whose entry point then
 * loads only this module on a worker thread, and the server only on the main thread: src/index.ts).
 * The worker lives as long as the server: measured, stopping and restarting workers ratchets the
 * process's memory up (freed pages are not all returned), while one long-lived worker stays level.
 */
import { isMainThread, parentPort, Worker, workerData, type MessagePort } from 'node:worker_threads';
import type { CheckFailure } from './token-checks.ts';

const WORKER_FLAG = 'mcp-mssql-parse-worker';

interface CheckRequest {
  id: number;
  text: string;
}

type WorkerMessage = { ready: true } | { id: number; failure: CheckFailure };

/** The worker's side. The grammar is loaded here only: the main thread never holds it. */
async function serve(port: MessagePort): Promise<void> {
  const { parseAndCheck } = await import('./check-text.ts');
  parseAndCheck('SELECT 1'); // loads the grammar before the first real query's budget starts
  port.on('message', ({ id, text }: CheckRequest) => port.postMessage({ id, failure: parseAndCheck(text) } satisfies WorkerMessage));
  port.postMessage({ ready: true } satisfies WorkerMessage);
}

if (!isMainThread && (workerData as Record<string, unknown> | null)?.[WORKER_FLAG] === true && parentPort !== null) await serve(parentPort);

/** Checks parser text off the main thread; one check at a time, each within the budget. */
export interface TreeChecker {
  check(text: string): Promise<CheckFailure>;
  close(): Promise<void>;
}

export interface TreeCheckerOptions {
  /** Time one check may take in the worker, from the moment it is sent. */
  budgetMs: number;
  /** Time the worker may take to start and load the grammar. */
  startTimeoutMs: number;
  /** Checks that may wait for their turn; more are refused at once. */
  maxWaiting: number;
  /** Heap cap of the worker thread; a check that needs more ends the worker and is refused. */
  maxHeapMb: number;
}

export const TREE_CHECKER_DEFAULTS: TreeCheckerOptions = { budgetMs: 3_000, startTimeoutMs: 30_000, maxWaiting: 32, maxHeapMb: 128 };

interface RunningWorker {
  worker: Worker;
  ready: Promise<boolean>;
  /** Set while a check is under way: how to settle it when the worker dies. */
  pending?: (failure: CheckFailure) => void;
}

export function createTreeChecker(overrides: Partial<TreeCheckerOptions> = {}): TreeChecker {
  const options = { ...TREE_CHECKER_DEFAULTS, ...overrides };
  let current: RunningWorker | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let waiting = 0;
  let nextId = 1;
  let closed = false;

  const discard = (running: RunningWorker): void => {
    if (current === running) current = undefined;
    void running.worker.terminate();
  };

  const start = (): RunningWorker => {
    const worker = new Worker(new URL(import.meta.url), {
      workerData: { [WORKER_FLAG]: true },
      resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb },
      stdout: false,
      stderr: false,
    });
    worker.unref();
    let markReady: (ok: boolean) => void = () => undefined;
    const running: RunningWorker = { worker, ready: new Promise<boolean>((resolve) => (markReady = resolve)) };
    const startTimer = setTimeout(() => markReady(false), options.startTimeoutMs);
    const stopped = (): void => {
      clearTimeout(startTimer);
      markReady(false);
      running.pending?.('the query checker stopped while checking this query; it is refused');
      if (current === running) current = undefined;
    };
    worker.on('message', (message: WorkerMessage) => {
      if ('ready' in message) {
        clearTimeout(startTimer);
        markReady(true);
      }
    });
    worker.on('error', stopped);
    worker.on('exit', stopped);
    return running;
  };

  const runOne = async (text: string): Promise<CheckFailure> => {
    if (closed) return 'the server is stopping; the query is refused';
    const running = (current ??= start());
    if (!(await running.ready)) {
      discard(running);
      return 'the query checker could not start; the query is refused';
    }
    const id = nextId++;
    return new Promise<CheckFailure>((resolve) => {
      const settle = (failure: CheckFailure): void => {
        clearTimeout(timer);
        running.worker.off('message', onMessage);
        running.pending = undefined;
        resolve(failure);
      };
      const onMessage = (message: WorkerMessage): void => {
        if ('id' in message && message.id === id) settle(message.failure);
      };
      const timer = setTimeout(() => {
        settle(`checking the query took longer than ${options.budgetMs} ms; it is refused (fewer nested expressions or a shorter text will pass)`);
        discard(running);
      }, options.budgetMs);
      running.pending = settle;
      running.worker.on('message', onMessage);
      running.worker.postMessage({ id, text } satisfies CheckRequest);
    });
  };

  return {
    check(text) {
      if (waiting >= options.maxWaiting) return Promise.resolve('too many queries are waiting to be checked; try again shortly');
      waiting += 1;
      const result = queue.then(() => runOne(text)).finally(() => (waiting -= 1));
      queue = result.catch(() => undefined);
      return result;
    },
    async close() {
      closed = true;
      const running = current;
      current = undefined;
      if (running !== undefined) await running.worker.terminate();
    },
  };
}
