/**
 * Errors the tools report, and the mapping from mssql/tedious errors to them. Messages from SQL
 * Server are kept (they name objects, not secrets); the password never appears in any of them.
 */
import type { DriverError } from './driver.ts';

/** What went wrong, in words a tool result can carry. */
export type FailureKind =
  | 'refused'
  | 'invalid-input'
  | 'not-found'
  | 'not-configured'
  | 'login-failed'
  | 'connection'
  | 'timeout'
  | 'lock-timeout'
  | 'permission-denied'
  | 'syntax-error'
  | 'unknown-name'
  | 'cancelled'
  | 'server-error';

/** An error whose message is meant for the tool's caller. */
export class ToolError extends Error {
  override name = 'ToolError';
  readonly kind: FailureKind;
  constructor(kind: FailureKind, message: string) {
    super(message);
    this.kind = kind;
  }
}

/** No server, or no usable login, is configured. */
export class NotConfiguredError extends ToolError {
  override name = 'NotConfiguredError';
  constructor(message: string) {
    super('not-configured', message);
  }
}

const PERMISSION_NUMBERS = new Set([229, 230, 262, 297, 300, 916, 15247, 4060]);
const SYNTAX_NUMBERS = new Set([102, 103, 104, 105, 156, 170, 174, 189, 319, 1038, 4145, 8116, 195]);
const UNKNOWN_NAME_NUMBERS = new Set([207, 208, 4104, 137, 2812, 4121]);
const LOCK_TIMEOUT = 1222;

/** Context that makes timeout messages precise. */
export interface ErrorContext {
  queryTimeoutMs: number;
  lockTimeoutMs: number;
  connectTimeoutMs: number;
}

function connectionFailure(error: DriverError, context: ErrorContext): ToolError {
  switch (error.code) {
    case 'ELOGIN':
      return new ToolError('login-failed', `SQL Server refused the sign-in: ${error.message}`);
    case 'EFEDAUTH':
      return new ToolError('login-failed', `no Entra ID token could be obtained for SQL Server: ${error.message}`);
    case 'ETIMEOUT':
      return new ToolError('connection', `could not connect to SQL Server within ${context.connectTimeoutMs} ms`);
    default:
      return new ToolError('connection', `cannot reach SQL Server: ${error.message}`);
  }
}

/** Maps anything thrown while talking to SQL Server to a ToolError. */
export function toToolError(error: unknown, context: ErrorContext): ToolError {
  if (error instanceof ToolError) return error;
  const driverError = error as DriverError;
  const message = typeof driverError?.message === 'string' ? driverError.message : String(error);
  if (driverError?.name === 'ConnectionError') return connectionFailure(driverError, context);
  if (driverError?.code === 'ELOGIN' || driverError?.number === 18456) {
    return new ToolError('login-failed', `SQL Server refused the sign-in: ${message}`);
  }
  if (driverError?.code === 'ETIMEOUT') {
    return new ToolError('timeout', `the query ran longer than ${context.queryTimeoutMs} ms and was cancelled`);
  }
  if (driverError?.code === 'ECANCEL') return new ToolError('cancelled', 'the query was cancelled');
  const number = driverError?.number;
  if (number === LOCK_TIMEOUT) {
    return new ToolError(
      'lock-timeout',
      `the query waited more than ${context.lockTimeoutMs} ms for a lock held by another session and was stopped: ${message}`,
    );
  }
  if (number !== undefined && PERMISSION_NUMBERS.has(number)) return new ToolError('permission-denied', `permission denied: ${message}`);
  if (number !== undefined && SYNTAX_NUMBERS.has(number)) return new ToolError('syntax-error', `syntax error: ${message}`);
  if (number !== undefined && UNKNOWN_NAME_NUMBERS.has(number)) return new ToolError('unknown-name', message);
  if (number !== undefined) return new ToolError('server-error', `SQL Server error ${number}: ${message}`);
  return new ToolError('server-error', `SQL Server error: ${message}`);
}
