import { bounded, SparkifyError, type ErrorCode } from '../../core/errors.ts';

/** Node's socket errors: the server could not be reached, or the connection broke. */
const socketCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);
/** What node-postgres throws, without a code, when a connection fails or is lost. */
const lostConnection = /^(Connection terminated|Connection ended|Client has encountered a connection error|Client was closed|timeout expired|The server does not support SSL connections)/;
/** SQLSTATEs where the same load, run again, may well succeed: serialization failures, deadlocks, lock timeouts, too many connections. */
const retryableStates = new Set(['40001', '40P01', '55P03', '53300', '57P03']);

/**
 * A node-postgres error as a SparkifyError naming the target (its password masked) and the server's own message.
 * Anything that is not the driver's or the server's (a TypeError in our code) is returned as it is: it is a bug.
 */
export function postgresError(cause: unknown, target: string): unknown {
  if (cause instanceof SparkifyError || !(cause instanceof Error)) return cause;
  const code = (cause as { code?: unknown }).code;
  const mapped = (errorCode: ErrorCode, retryable: boolean) =>
    new SparkifyError(errorCode, `${target}: ${bounded(cause.message)}`, { cause, retryable, details: { target, ...(typeof code === 'string' ? { sqlstate: code } : {}) } });
  if (typeof code === 'string' && socketCodes.has(code)) return mapped('SPK_E_CONNECTION', true);
  // The driver's SCRAM exchange: above all, a role that needs a password and was given none.
  if (code === undefined && cause.message.startsWith('SASL: ')) {
    return new SparkifyError('SPK_E_AUTH', `${target}: ${bounded(cause.message)} (no password given? set PGPASSWORD or a password file, PGPASSFILE or ~/.pgpass)`,
      { cause, details: { target } });
  }
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) {
    return lostConnection.test(cause.message) ? mapped('SPK_E_CONNECTION', !cause.message.includes('SSL')) : cause;
  }
  if (code.startsWith('28')) return mapped('SPK_E_AUTH', false);
  // 3D000: no such database. 57P01-03: terminated by an administrator, a shutdown, a server starting up.
  if (code.startsWith('08') || code === '3D000' || code.startsWith('57P')) return mapped('SPK_E_CONNECTION', code !== '3D000');
  return mapped('SPK_E_ENGINE', retryableStates.has(code));
}
