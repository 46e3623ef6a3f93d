import assert from 'node:assert/strict';
import { test } from 'node:test';
import { logLevel } from '../../../src/cli/observability-options.ts';
import { componentLogger } from '../../../src/orchestrator/observability/logger.ts';

function collect() {
  const lines: Record<string, unknown>[] = [];
  return { lines, destination: { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) } };
}

test('a component logger writes JSON lines with its component, at its level, and never a secret', () => {
  const out = collect();
  const log = componentLogger('scheduler', { level: 'warn', destination: out.destination });
  log.info('not at warn');
  log.warn({ conn: { host: 'smtp.example', login: 'alerts', password: 'hunter2', extra: { token: 'abc' } }, uri: 'postgres://u:pw@h/db' }, 'connection refused');
  assert.equal(out.lines.length, 1, 'info is below warn');
  const [line] = out.lines;
  assert.deepEqual([line?.component, line?.level, line?.msg], ['scheduler', 40, 'connection refused']);
  assert.deepEqual(line?.conn, { host: 'smtp.example', login: 'alerts', password: '[redacted]', extra: '[redacted]' });
  assert.equal(line?.uri, '[redacted]');
  assert.ok(!JSON.stringify(out.lines).includes('hunter2') && !JSON.stringify(out.lines).includes(':pw@'));
  assert.match(String(line?.time), /^\d{4}-\d\d-\d\dT/);
});

test('SPARKIFY_LOG_LEVEL picks the level; a wrong one is a config error naming it', () => {
  assert.equal(logLevel({}), 'info');
  assert.equal(logLevel({ SPARKIFY_LOG_LEVEL: 'DEBUG' }), 'debug');
  assert.throws(() => logLevel({ SPARKIFY_LOG_LEVEL: 'loud' }), { code: 'SPK_E_CONFIG', message: /SPARKIFY_LOG_LEVEL/ });
});
