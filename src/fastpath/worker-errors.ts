import { SparkifyError, type ErrorCode } from '../core/errors.ts';

/** An error as plain data: errors cross threads without their class or extra fields (code, details). */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
  retryable?: boolean;
  details?: Record<string, unknown>;
  cause?: SerializedError;
}

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const fields = error as Error & { code?: unknown; retryable?: unknown; details?: unknown };
  return {
    name: error.name,
    message: error.message,
    ...(error.stack === undefined ? {} : { stack: error.stack }),
    ...(typeof fields.code === 'string' ? { code: fields.code } : {}),
    ...(typeof fields.retryable === 'boolean' ? { retryable: fields.retryable } : {}),
    ...(fields.details !== null && typeof fields.details === 'object' ? { details: fields.details as Record<string, unknown> } : {}),
    ...(error.cause === undefined ? {} : { cause: serializeError(error.cause) }),
  };
}

/** The worker's error as the caller would have got it on this thread: a SparkifyError keeps its code and fields. */
export function revive(error: SerializedError): Error {
  const cause: unknown = error.cause === undefined ? undefined : revive(error.cause);
  if (error.name === 'SparkifyError' && error.code !== undefined) {
    const code = error.code as ErrorCode;
    const prefix = `${code}: `;
    const message = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
    const revived = new SparkifyError(code, message, { cause, retryable: error.retryable ?? false, details: error.details ?? {} });
    if (error.stack !== undefined) revived.stack = error.stack;
    return revived;
  }
  const revived = new Error(error.message, cause === undefined ? undefined : { cause });
  revived.name = error.name;
  if (error.stack !== undefined) revived.stack = error.stack;
  if (error.code !== undefined) Object.assign(revived, { code: error.code });
  return revived;
}
