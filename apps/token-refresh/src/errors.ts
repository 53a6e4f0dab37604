/**
 * The ways a run can end, each with its own exit code, so a failed Job says what kind of failure it was
 * (`kubectl get pods` shows the code; the log line `refresh.failed` says the rest).
 */

/** Exit codes of one run. Documented in the README. */
export const EXIT_CODES = {
  ok: 0,
  /** Unexpected failure (a bug). */
  internal: 1,
  /** Configuration: a variable or a credentials file is missing or invalid. */
  config: 2,
  /** The provider rejected the refresh token or the client (`invalid_grant`, `invalid_client`): re-authorise. */
  invalidGrant: 3,
  /** The token endpoint was unreachable, timed out, kept failing, or answered something unusable. */
  providerUnavailable: 4,
  /** The Kubernetes API refused or failed a read or write (RBAC, missing Secret, conflicts, outage). */
  kubernetes: 5,
  /** Stopped by SIGTERM/SIGINT; the message says what was saved, what was skipped or lost, and what to do. */
  interrupted: 6,
} as const;

/** One of the documented exit codes. */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** A failure the program explains itself; `exitCode` is what the process ends with. */
export class RefreshError extends Error {
  readonly exitCode: ExitCode;
  /** Machine-readable cause for the log (`config`, `invalid_grant`, `forbidden`, ...). */
  readonly reason: string;
  constructor(exitCode: ExitCode, reason: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RefreshError';
    this.exitCode = exitCode;
    this.reason = reason;
  }
}

/** Bad or missing configuration (exit 2). */
export function configError(message: string): RefreshError {
  return new RefreshError(EXIT_CODES.config, 'config', message);
}

/** A run stopped by a termination signal (exit 6); `step` says where and what it means. */
export function interrupted(step: string): RefreshError {
  return new RefreshError(EXIT_CODES.interrupted, 'interrupted', `stopped by a termination signal ${step}`);
}
