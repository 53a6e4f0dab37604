/**
 * SIGTERM (or SIGINT) during a run: the Job's activeDeadlineSeconds, a node drain, a deleted pod. Before the
 * token request nothing is at stake, so the run stops at its next step. From the token request on, the provider
 * may have issued tokens that exist nowhere else until they are in the Secrets (a rotated refresh token may be
 * the only valid one), so the run goes on and saves them. If that does not finish within `graceMs` (kept under
 * the pod's terminationGracePeriodSeconds, 30 s by default, so the line is written before SIGKILL), it stops with
 * a message that names what was lost and what to do.
 */
import type { Logger } from '@mcp-gateway/telemetry';
import { EXIT_CODES } from './errors.ts';

/** Something the run holds that exists nowhere else yet, and what to do if it is lost. */
export interface AtStake {
  what: string;
  remedy: string;
}

/** What refresh() sees of a stop request. */
export interface RunGuard {
  /** Aborted once a termination signal arrived. */
  readonly stop: AbortSignal;
  /** Says what the run now holds that a stop would lose (undefined: nothing). */
  hold(atStake: AtStake | undefined): void;
}

export interface StoppableRunGuard extends RunGuard {
  /** A termination signal arrived. */
  request(signal: string): void;
}

/** The grace given to saving tokens after a stop request: under Kubernetes' default 30 s before SIGKILL. */
export const STOP_GRACE_MS = 20_000;

export function createRunGuard(options: { log: Logger; graceMs?: number; exit: (code: number) => void }): StoppableRunGuard {
  const { log, exit, graceMs = STOP_GRACE_MS } = options;
  const controller = new AbortController();
  let held: AtStake | undefined;
  let timer: NodeJS.Timeout | undefined;
  let signalName = '';
  return {
    stop: controller.signal,
    hold(atStake) {
      held = atStake;
      if (!atStake && timer) clearTimeout(timer);
    },
    request(signal) {
      if (controller.signal.aborted) return;
      signalName = signal;
      controller.abort();
      if (!held) {
        log.warn({ signal, atStake: null }, 'shutdown.requested');
        return;
      }
      log.warn({ signal, saving: held.what, graceMs }, 'shutdown.deferred');
      timer = setTimeout(() => {
        const lost = held;
        if (!lost) return;
        log.error({
          reason: 'interrupted',
          exitCode: EXIT_CODES.interrupted,
          message: `stopped by ${signalName} before ${lost.what} was saved (${graceMs} ms after the signal); ${lost.remedy}`,
        }, 'refresh.failed');
        exit(EXIT_CODES.interrupted);
      }, graceMs);
      timer.unref();
    },
  };
}
