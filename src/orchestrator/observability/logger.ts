import { pino, type DestinationStream, type Logger } from 'pino';

/** The long-running parts of the orchestrator, each with a logger of its own (`component` in every line). */
export type Component = 'scheduler' | 'executor' | 'worker' | 'dag-processor' | 'api';

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

export interface LoggerOptions {
  /** Default `info` (SPARKIFY_LOG_LEVEL, compiled by the CLI). */
  level?: LogLevel;
  /** Default: stderr, written synchronously so that the last lines before an exit are not lost. */
  destination?: DestinationStream;
}

/**
 * Keys whose values never reach a log line, wherever they sit one or two levels down: a connection's password and
 * extras (tokens, keys), a URI with credentials, an SMTP login's secret. Redacted rather than trusted to callers, so a
 * connection object logged whole by mistake still shows no secret.
 */
export const redactedKeys = ['password', 'extra', 'uri', 'token', 'secret', 'authorization', 'auth', 'pass'];

/** A JSON-lines logger for one component (pino): `{"level":30,"time":…,"component":"scheduler","msg":…}`. */
export function componentLogger(component: Component, options: LoggerOptions = {}): Logger {
  const paths = redactedKeys.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);
  return pino({
    level: options.level ?? 'info',
    base: { component },
    redact: { paths, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  }, options.destination ?? pino.destination({ fd: 2, sync: true }));
}
