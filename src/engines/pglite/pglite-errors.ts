import { bounded, SparkifyError } from '../../core/errors.ts';

/**
 * An error PGlite's Postgres raised (it carries a SQLSTATE) as a SparkifyError naming the database and the server's
 * message. Anything else passes as it is: not PGlite's, so a bug.
 */
export function pgliteError(cause: unknown, target: string): unknown {
  if (cause instanceof SparkifyError || !(cause instanceof Error)) return cause;
  const code = (cause as { code?: unknown }).code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return cause;
  return new SparkifyError('SPK_E_ENGINE', `${target}: ${bounded(cause.message)}`, { cause, details: { target, sqlstate: code } });
}
