import { configError } from '../core/errors.ts';
import { defaultAlertSettings, type AlertSettings } from '../orchestrator/alerts/alert-settings.ts';
import { componentLogger, logLevels, type Component, type LogLevel } from '../orchestrator/observability/logger.ts';
import { OrchestratorMetrics } from '../orchestrator/observability/metrics.ts';
import { statsdOptionsFromEnv, statsdSink } from '../orchestrator/observability/statsd.ts';

/** SPARKIFY_LOG_LEVEL (default info), checked once. */
export function logLevel(env: NodeJS.ProcessEnv = process.env): LogLevel {
  const level = (env.SPARKIFY_LOG_LEVEL ?? 'info').toLowerCase();
  if (!(logLevels as readonly string[]).includes(level)) throw configError(`SPARKIFY_LOG_LEVEL: one of ${logLevels.join(', ')}, not ${JSON.stringify(env.SPARKIFY_LOG_LEVEL)}`);
  return level as LogLevel;
}

/** A long-running command's logger, at SPARKIFY_LOG_LEVEL. */
export function commandLogger(component: Component, env: NodeJS.ProcessEnv = process.env) {
  return componentLogger(component, { level: logLevel(env) });
}

/**
 * The orchestrator's metrics: always this process's Prometheus registry; StatsD too when SPARKIFY_STATSD_HOST is set
 * (SPARKIFY_STATSD_PORT, default 8125; SPARKIFY_STATSD_PREFIX, default airflow). A send error goes to `onError`.
 */
export function commandMetrics(onError: (error: Error) => void, env: NodeJS.ProcessEnv = process.env): OrchestratorMetrics {
  const statsd = statsdOptionsFromEnv(env);
  return new OrchestratorMetrics(statsd === null ? null : statsdSink(statsd, onError));
}

/**
 * Where alert emails go and what they link to: SPARKIFY_SMTP_CONN_ID (default smtp_default), SPARKIFY_BASE_URL (the
 * web UI, default http://127.0.0.1:8080), checked once.
 */
export function alertSettings(env: NodeJS.ProcessEnv = process.env): AlertSettings {
  const baseUrl = env.SPARKIFY_BASE_URL || defaultAlertSettings.baseUrl;
  if (!URL.canParse(baseUrl) || !/^https?:$/.test(new URL(baseUrl).protocol)) throw configError(`SPARKIFY_BASE_URL: an http(s) URL, not ${JSON.stringify(baseUrl)}`);
  return { smtpConnId: env.SPARKIFY_SMTP_CONN_ID || defaultAlertSettings.smtpConnId, baseUrl };
}
