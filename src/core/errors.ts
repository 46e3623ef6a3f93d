/**
 * Typed errors with stable codes. Only the CLI entrypoint turns them into exit codes and messages;
 * everything below throws these (or lets a driver error propagate as `cause`).
 */
export type ErrorCode =
  | 'SPK_E_CONFIG'
  | 'SPK_E_INPUT_UNREADABLE'
  | 'SPK_E_INPUT_EMPTY'
  | 'SPK_E_BAD_RECORD'
  | 'SPK_E_ENGINE'
  | 'SPK_E_LOAD_FAILED'
  | 'SPK_E_SERVER'
  | 'SPK_E_STORAGE'
  | 'SPK_E_UNSAFE_PATH';

export interface SparkifyErrorOptions {
  cause?: unknown;
  /** Whether repeating the same operation may succeed (a dropped connection, a timeout). */
  retryable?: boolean;
  /** Structured context for machine output (file, line, field, …). */
  details?: Record<string, unknown>;
}

export class SparkifyError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: SparkifyErrorOptions = {}) {
    super(`${code}: ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SparkifyError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.details = options.details ?? {};
  }
}

export const configError = (message: string, details?: Record<string, unknown>) =>
  new SparkifyError('SPK_E_CONFIG', message, { details });

export const unreadableInput = (path: string, cause?: unknown) =>
  new SparkifyError('SPK_E_INPUT_UNREADABLE', `cannot read ${path}${causeText(cause)}`, {
    cause,
    details: { path },
  });

export function causeText(cause: unknown): string {
  if (cause instanceof Error) return `: ${cause.message}`;
  return cause === undefined ? '' : `: ${String(cause)}`;
}
