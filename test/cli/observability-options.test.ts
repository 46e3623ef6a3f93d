import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alertSettings, commandMetrics } from '../../src/cli/observability-options.ts';
import { statsdOptionsFromEnv } from '../../src/orchestrator/observability/statsd.ts';

test('alert settings, StatsD options: defaults, environment, and one clear error for a bad value', async () => {
  assert.deepEqual(alertSettings({}), { smtpConnId: 'smtp_default', baseUrl: 'http://127.0.0.1:8080' });
  assert.deepEqual(alertSettings({ SPARKIFY_BASE_URL: 'https://airflow.example.test/', SPARKIFY_SMTP_CONN_ID: 'mail' }), { smtpConnId: 'mail', baseUrl: 'https://airflow.example.test/' });
  assert.throws(() => alertSettings({ SPARKIFY_BASE_URL: 'ftp://x' }), { code: 'SPK_E_CONFIG', message: /SPARKIFY_BASE_URL/ });
  assert.equal(statsdOptionsFromEnv({}), null, 'StatsD is off by default');
  assert.deepEqual(statsdOptionsFromEnv({ SPARKIFY_STATSD_HOST: '127.0.0.1' }), { host: '127.0.0.1', port: 8125, prefix: 'airflow' });
  assert.deepEqual(statsdOptionsFromEnv({ SPARKIFY_STATSD_HOST: 'h', SPARKIFY_STATSD_PORT: '9125', SPARKIFY_STATSD_PREFIX: 'sparkify' }), { host: 'h', port: 9125, prefix: 'sparkify' });
  assert.throws(() => statsdOptionsFromEnv({ SPARKIFY_STATSD_HOST: 'h', SPARKIFY_STATSD_PORT: '99999' }), { code: 'SPK_E_CONFIG', message: /SPARKIFY_STATSD_PORT/ });
  await commandMetrics(() => undefined, {}).close();
});
