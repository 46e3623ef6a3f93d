import { status, type ServiceError } from '@grpc/grpc-js';
import { SparkifyError } from '../../core/errors.ts';

const isServiceError = (error: unknown): error is ServiceError =>
  error instanceof Error && typeof (error as Partial<ServiceError>).code === 'number' && 'metadata' in error;

/** Codes that mean the server was not there or went away, not that it refused the work. */
const connectionCodes = new Set<number>([status.UNAVAILABLE, status.DEADLINE_EXCEEDED]);

/**
 * A gRPC error as a SparkifyError with Spark's own message on one line, `[ERROR_CLASS] what went wrong`: the
 * message's later lines (the SQL context, a JVM stack in some versions) and gRPC's own wrapping are left out; the
 * error class, SQL state and gRPC code go to `details`. The gRPC error is not kept as the `cause`: the CLI prints a
 * cause, and `13 INTERNAL: …` would only repeat Spark's message as a gRPC dump.
 */
export function sparkError(what: string, error: unknown): SparkifyError {
  if (error instanceof SparkifyError) return error;
  if (!isServiceError(error)) return new SparkifyError('SPK_E_ENGINE', `${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  const message = firstLine(error.details || error.message);
  const errorClass = /^\[([A-Z0-9_.]+)\]/.exec(message)?.[1];
  const sqlState = metadataText(error, 'sqlstate') ?? / SQLSTATE: (\w+)/.exec(error.details ?? '')?.[1];
  if (connectionCodes.has(error.code)) {
    return new SparkifyError('SPK_E_CONNECTION', `${what}: Spark Connect server unreachable: ${message.replace(/\s*Resolution note:\s*$/, '')}`, { retryable: true,
      details: { grpcCode: error.code } });
  }
  if (error.code === status.UNAUTHENTICATED || error.code === status.PERMISSION_DENIED) {
    return new SparkifyError('SPK_E_AUTH', `${what}: ${message}`, { details: { grpcCode: error.code } });
  }
  return new SparkifyError('SPK_E_ENGINE', `${what}: ${message}`, {
    details: { grpcCode: error.code, ...(errorClass ? { errorClass } : {}), ...(sqlState ? { sqlState } : {}) } });
}

/** A cancelled operation: the signal's reason, and `details.interrupted` so callers can tell it from a failure. */
export function interruptedError(what: string, reason: unknown): SparkifyError {
  const why = reason instanceof Error ? reason.message : reason === undefined ? 'aborted' : String(reason);
  return new SparkifyError('SPK_E_ENGINE', `${what}: interrupted (${why})`, { cause: reason, details: { interrupted: true } });
}

function firstLine(text: string): string {
  const line = text.trim().split('\n').find((l) => l.trim() !== '') ?? text;
  return line.trim().replace(/\s+/g, ' ');
}

function metadataText(error: ServiceError, key: string): string | undefined {
  const value = error.metadata?.get(key)[0];
  return typeof value === 'string' ? value : undefined;
}
