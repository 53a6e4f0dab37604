/**
 * Readiness as the runtime reports it: to the kubelet on /readyz, and to MCP clients in the `initialize`
 * result's `_meta` (READINESS_META_KEY), so a person sees "not ready: no SQL Server is configured" through
 * the gateway instead of a green light and failing tools. agentgateway v1.4.1 forwards a single target's
 * InitializeResult with its `_meta` (mcp/handler.rs, merge_initialize; rmcp 3 keeps `_meta` on the type).
 */
import type { McpServer } from '@modelcontextprotocol/server';
import { READINESS_META_KEY } from './readiness-key.ts';
import type { McpAppDefinition, ReadinessReport } from './types.ts';

/** A readiness check that has not answered by then counts as not ready. */
export const READY_TIMEOUT_MS = 3_000;
/** How long initialize waits for a check in progress before answering with what it knows. */
const INITIALIZE_WAIT_MS = 1_500;
/** initialize reuses a result younger than this (a client connecting often does not start a check each time). */
const REUSE_MS = 2_000;

/** What a check found, with when. */
export interface Readiness extends ReadinessReport {
  checkedAt: number;
}

function normalize(value: boolean | ReadinessReport): ReadinessReport {
  if (typeof value === 'boolean') return { ready: value };
  return { ready: value.ready === true, ...(typeof value.reason === 'string' && value.reason !== '' ? { reason: value.reason.slice(0, 300) } : {}) };
}

function within<T>(promise: Promise<T>, ms: number, late: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(late()), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

/** One app's readiness: runs `def.ready()` bounded by READY_TIMEOUT_MS, one check at a time. */
export function createReadiness(def: McpAppDefinition, onError: (error: Error) => void, now: () => number = Date.now) {
  let last: Readiness | undefined;
  let running: Promise<Readiness> | undefined;
  const run = (): Promise<Readiness> => {
    running ??= (async () => {
      let report: ReadinessReport;
      try {
        report = def.ready === undefined ? { ready: true } : normalize(await within(def.ready(), READY_TIMEOUT_MS, () => ({ ready: false, reason: `its readiness check did not answer within ${READY_TIMEOUT_MS / 1000} s` })));
      } catch (error) {
        onError(error instanceof Error ? error : new Error(String(error)));
        report = { ready: false, reason: 'its readiness check failed' };
      }
      last = { ...report, checkedAt: now() };
      running = undefined;
      return last;
    })();
    return running;
  };
  return {
    /** A fresh check (joining one in progress): for /readyz. */
    check: run,
    /** For initialize: a recent result, else a fresh check when it answers soon, else the last known state. */
    report(): Promise<ReadinessReport> {
      const fresh = last !== undefined && now() - last.checkedAt < REUSE_MS ? Promise.resolve(last) : run();
      return within(fresh, INITIALIZE_WAIT_MS, () => last ?? { ready: false, reason: 'its readiness check has not answered yet' }).then(({ ready, reason }) => ({ ready, ...(reason !== undefined ? { reason } : {}) }));
    },
  };
}

export type AppReadiness = ReturnType<typeof createReadiness>;

/**
 * Adds the readiness report to every `initialize` result of `server`, keeping the SDK's own answer
 * (negotiated version, capabilities, serverInfo, instructions) as it is.
 */
export function reportReadinessOnInitialize(server: McpServer, readiness: AppReadiness): void {
  const inner = server.server as unknown as { _oninitialize(request: unknown): Promise<Record<string, unknown>>; setRequestHandler(method: string, handler: (request: unknown) => Promise<unknown>): void };
  const sdkAnswer = inner._oninitialize.bind(inner);
  inner.setRequestHandler('initialize', async (request) => {
    const [result, report] = await Promise.all([sdkAnswer(request), readiness.report()]);
    const meta = (result._meta ?? {}) as Record<string, unknown>;
    return { ...result, _meta: { ...meta, [READINESS_META_KEY]: report } };
  });
}
