import { SparkifyError, causeText } from '../core/errors.ts';

/**
 * The output folder cannot take the files (it already holds a run, permissions, a full disk). Reported as a
 * configuration error because the remedy is a different --out, not a retry; a dedicated output code would
 * be clearer if the error set grows one.
 */
export function outputError(path: string, cause?: unknown): SparkifyError {
  return new SparkifyError('SPK_E_CONFIG', `cannot write ${path}${causeText(cause)}`, { cause, details: { path } });
}
