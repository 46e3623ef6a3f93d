import cassandra from 'cassandra-driver';
import { SparkifyError } from '../../core/errors.ts';

const codes = cassandra.types.responseErrorCodes;
/** Server answers the retry policy retries: the operation may well succeed later. */
const transientCodes = new Set<number>([codes.writeTimeout, codes.readTimeout, codes.unavailableException, codes.overloaded, codes.isBootstrapping]);

/**
 * A driver error as a SparkifyError naming what was being done. Timeouts and the like come here only after the
 * retry policy gave up, so they say how often it tried, and are `retryable`: the loads are idempotent, so running
 * the same load again finishes the job.
 */
export function cassandraError(what: string, error: unknown, maxRetries: number): SparkifyError {
  if (error instanceof SparkifyError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof cassandra.errors.NoHostAvailableError) {
    const inner = Object.entries((error.innerErrors ?? {}) as Record<string, Error>).map(([host, e]) => `${host}: ${e.message}`);
    return new SparkifyError('SPK_E_CONNECTION', `${what}: no Cassandra host available${inner.length ? ` (${inner.join('; ')})` : ''}`,
      { cause: error, retryable: true });
  }
  if (error instanceof cassandra.errors.AuthenticationError) {
    return new SparkifyError('SPK_E_AUTH', `${what}: authentication failed: ${message}`, { cause: error });
  }
  const timedOut = error instanceof cassandra.errors.OperationTimedOutError;
  if (timedOut || (error instanceof cassandra.errors.ResponseError && transientCodes.has(error.code))) {
    return new SparkifyError('SPK_E_ENGINE',
      `${what}: gave up after ${maxRetries + 1} attempts (${maxRetries} retries): ${message}. Every write is idempotent: ` +
      'run the same command again to finish, or lower --concurrency / raise --timeout-ms / --retries',
      { cause: error, retryable: true, details: { attempts: maxRetries + 1 } });
  }
  return new SparkifyError('SPK_E_ENGINE', `${what}: ${message}`, { cause: error });
}
