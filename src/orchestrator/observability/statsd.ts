import { StatsD } from 'hot-shots';
import { configError } from '../../core/errors.ts';

/** Where StatsD figures go (Airflow's [metrics] statsd_host/port/prefix); null: StatsD off (the default). */
export interface StatsdOptions {
  host: string;
  port: number;
  /** Put before every name with a dot, as Airflow's `statsd_prefix` (default `airflow`, so Airflow dashboards fit). */
  prefix: string;
}

/** The few calls the orchestrator makes; a hot-shots client or nothing. */
export interface StatsdSink {
  increment(name: string): void;
  gauge(name: string, value: number): void;
  timing(name: string, ms: number): void;
  close(): Promise<void>;
}

/**
 * A hot-shots client over UDP. Its send errors (nobody listening, a bad host) go to `onError` and are never thrown:
 * a metric must not fail a scheduler tick or a try.
 */
export function statsdSink(options: StatsdOptions, onError: (error: Error) => void = () => undefined): StatsdSink {
  const client = new StatsD({
    host: options.host, port: options.port, prefix: options.prefix === '' ? '' : `${options.prefix}.`, protocol: 'udp',
    errorHandler: onError, cacheDns: true,
  });
  return {
    increment: (name) => client.increment(name),
    gauge: (name, value) => client.gauge(name, value),
    timing: (name, ms) => client.timing(name, ms),
    close: () => new Promise((resolve) => client.close(() => resolve())),
  };
}

/** StatsD options from the environment (SPARKIFY_STATSD_HOST, _PORT, _PREFIX); null when no host is set. Read by the CLI only. */
export function statsdOptionsFromEnv(env: NodeJS.ProcessEnv): StatsdOptions | null {
  const host = env.SPARKIFY_STATSD_HOST;
  if (host === undefined || host === '') return null;
  const port = Number(env.SPARKIFY_STATSD_PORT ?? 8125);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw configError(`SPARKIFY_STATSD_PORT: a port 1-65535, not ${JSON.stringify(env.SPARKIFY_STATSD_PORT)}`);
  return { host, port, prefix: env.SPARKIFY_STATSD_PREFIX ?? 'airflow' };
}
