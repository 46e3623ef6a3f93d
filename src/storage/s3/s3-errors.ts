import { SparkifyError } from '../../core/errors.ts';

interface AwsLikeError {
  name?: string;
  code?: string;
  message?: string;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
}

const retryableNames = new Set(['SlowDown', 'RequestTimeout', 'RequestTimeTooSkewed', 'InternalError', 'ServiceUnavailable',
  'Throttling', 'ThrottlingException', 'TimeoutError', 'RequestTimeoutException']);
const authNames = new Set(['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AccessDenied', 'XAdminUserNotFound', 'InvalidToken', 'ExpiredToken']);
const networkCodes = new Set(['ECONNRESET', 'EPROTO', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED', 'UND_ERR_SOCKET']);

/**
 * Turns an AWS SDK (or socket) error into a SparkifyError whose `retryable` says whether the same request may
 * succeed later: throttling, 5xx and dropped connections may; missing objects and refused credentials never do.
 */
export function storageError(what: string, cause: unknown): SparkifyError {
  if (cause instanceof SparkifyError) return cause;
  const e = (cause ?? {}) as AwsLikeError;
  const status = e.$metadata?.httpStatusCode;
  const name = e.name ?? '';
  // Checked first: some S3-compatible servers answer an unknown access key with a 404 (versitygw: XAdminUserNotFound).
  if (authNames.has(name) || status === 403) {
    return new SparkifyError('SPK_E_STORAGE', `${what}: access denied (${name || status}); check the S3 credentials and endpoint`, { cause });
  }
  if (name === 'NoSuchKey' || name === 'NotFound' || name === 'NoSuchBucket' || status === 404) {
    const missing = name === 'NoSuchBucket' ? 'no such bucket' : 'no such object';
    return new SparkifyError('SPK_E_INPUT_UNREADABLE', `cannot read ${what}: ${missing}`, { cause, details: { url: what } });
  }
  const retryable = Boolean(e.$retryable) || retryableNames.has(name) || (status !== undefined && (status >= 500 || status === 429))
    || networkCodes.has(e.code ?? '') || networkCodes.has(name) || /socket hang up|ECONNRESET|ECONNREFUSED/.test(e.message ?? '');
  const message = e.message && e.message !== 'UnknownError' ? e.message : name || `HTTP ${status ?? '?'}`;
  return new SparkifyError('SPK_E_STORAGE', `${what}: ${message}`, { cause, retryable });
}
