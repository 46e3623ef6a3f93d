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
  /** The engine could not be reached, or the connection was lost mid-way. */
  | 'SPK_E_CONNECTION'
  /** The engine refused the credentials (wrong password, unknown role). */
  | 'SPK_E_AUTH'
  | 'SPK_E_LOAD_FAILED'
  /** Another load of the same database held it for longer than this one would wait (retryable). */
  | 'SPK_E_LOCKED'
  | 'SPK_E_SERVER'
  | 'SPK_E_STORAGE'
  /** Data quality checks failed (every failed check listed; not retryable: the data, not the attempt, is wrong). */
  | 'SPK_E_QUALITY'
  | 'SPK_E_UNSAFE_PATH'
  /** A DAG file could not be loaded: it threw, did not compile, hung past its time limit or ended its process. */
  | 'SPK_E_DAG_IMPORT'
  /** A DAG broke a rule of the authoring API: a cycle, a duplicate task id, a bad cron, an unknown trigger rule, … */
  | 'SPK_E_DAG_INVALID'
  /** A templated field could not be rendered: a syntax error, an unknown variable, a blocked access. */
  | 'SPK_E_TEMPLATE'
  /** A secret could not be encrypted or decrypted: a missing or malformed key, or a different key than the one it was sealed with. */
  | 'SPK_E_SECRET'
  /** The metadata database's schema is newer than this code knows, or older than a command needs (run `sparkify db migrate`). */
  | 'SPK_E_SCHEMA_VERSION'
  /** A named thing (a connection, a variable, a pool, a DAG) does not exist. */
  | 'SPK_E_NOT_FOUND'
  /** A task's own limit passed: a Command past its timeout (retryable), a sensor that never found its object (not). */
  | 'SPK_E_TIMEOUT'
  /** A Command task's subprocess exited with a non-zero status or was killed by a signal. */
  | 'SPK_E_COMMAND'
  /** A task's try failed: its `execute` threw (the message is the task's), or it returned a value that is not JSON. */
  | 'SPK_E_TASK_FAILED'
  /** A task's try ran past its executionTimeout (its AbortSignal fired; killed if it went on past the grace). */
  | 'SPK_E_TASK_TIMEOUT'
  /** A task's process ended before the task did: process.exit, a crash, out of memory, a kill. */
  | 'SPK_E_TASK_DIED'
  /** A task's try was stopped because its worker stopped (its claim released to another worker). */
  | 'SPK_E_TASK_STOPPED'
  /** A DAG run ended failed (`sparkify dags test`, a backfill run here): its failed task instances named. */
  | 'SPK_E_RUN_FAILED';

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
  /** The step of the pipeline that failed ('connecting', 'create songs', …), named once by whoever ran it (inStep). */
  step: string | undefined;

  constructor(code: ErrorCode, message: string, options: SparkifyErrorOptions = {}) {
    super(`${code}: ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SparkifyError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.details = options.details ?? {};
    this.step = undefined;
  }
}

/**
 * Runs `fn` as the step `step`: a SparkifyError escaping it is marked with the step, unless a step nested inside
 * already named itself. Other errors pass untouched (a bug stays a bug).
 */
export async function inStep<T>(step: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw withStep(error, step);
  }
}

/** `error`, marked with `step` if it is a SparkifyError no nested step has named yet. */
export function withStep(error: unknown, step: string | undefined): unknown {
  if (error instanceof SparkifyError && step !== undefined) error.step ??= step;
  return error;
}

/** Text quoted in an error is cut to this many characters: a 3 MB header line must not make a 3 MB message. */
export const quoteLimit = 500;

export function bounded(text: string, limit = quoteLimit): string {
  return text.length > limit ? `${text.slice(0, limit)}…[${text.length - limit} more chars]` : text;
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
