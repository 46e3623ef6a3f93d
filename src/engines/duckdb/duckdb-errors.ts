import { bounded, SparkifyError } from '../../core/errors.ts';

/** DuckDB names the kind of every error it raises: "Catalog Error: …", "Conversion Error: …", "INTERRUPT Error: …". */
const duckdbMessage = /^[A-Za-z][A-Za-z ]{0,40} Error: /;

/**
 * An error DuckDB raised as a SparkifyError naming the database and DuckDB's message. Anything else passes as it
 * is: not DuckDB's, so a bug.
 */
export function duckdbError(cause: unknown, target: string): unknown {
  if (cause instanceof SparkifyError || !(cause instanceof Error) || !duckdbMessage.test(cause.message)) return cause;
  // The first line says what failed; the rest (the statement's text, a caret under it) stays in `cause`.
  const [first = ''] = cause.message.split('\n', 1);
  return new SparkifyError('SPK_E_ENGINE', `${target}: ${bounded(first)}`, { cause, details: { target } });
}
