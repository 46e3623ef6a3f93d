import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { test, type TestContext } from 'node:test';
import { TestClock } from '../../../src/core/clock.ts';
import { listDagRuns } from '../../../src/orchestrator/metadb/dag-runs.ts';
import { OrchestratorMetrics } from '../../../src/orchestrator/observability/metrics.ts';
import { contentType, metricsText } from '../../../src/orchestrator/observability/prometheus.ts';
import { statsdSink } from '../../../src/orchestrator/observability/statsd.ts';
import { createScheduler } from '../../../src/orchestrator/scheduler-loop/index.ts';
import { metadb } from '../metadb/fixtures.ts';
import { dagFolder, testExecutor } from '../runner/runner-fixture.ts';

/** A real UDP socket on loopback collecting StatsD lines; `until(line)` resolves when a line matching it has come. */
async function statsdListener(t: TestContext) {
  const socket = createSocket('udp4');
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  t.after(() => socket.close());
  const lines: string[] = [];
  const waiters: { re: RegExp; resolve: () => void }[] = [];
  socket.on('message', (msg) => {
    for (const line of msg.toString('utf8').split('\n').filter(Boolean)) lines.push(line);
    for (const w of waiters.filter((w) => lines.some((l) => w.re.test(l)))) w.resolve();
  });
  return {
    port: socket.address().port,
    lines,
    until: (re: RegExp) => new Promise<void>((resolve) => (lines.some((l) => re.test(l)) ? resolve() : waiters.push({ re, resolve }))),
  };
}

test("the scheduler and executor send Airflow's StatsD names over UDP, and the same figures are in the Prometheus text", async (t) => {
  const engine = await metadb(t, 'pglite');
  if (!engine) return;
  const udp = await statsdListener(t);
  const metrics = new OrchestratorMetrics(statsdSink({ host: '127.0.0.1', port: udp.port, prefix: 'airflow' }));
  t.after(() => metrics.close());
  const folder = await dagFolder(t, {
    'hourly.ts': `const d = dag({ id: 'm_hourly', schedule: '@hourly', start: '2018-11-05T00:00:00Z' });
new op.Succeed(d, 'one', { value: 1 });
export default d;`,
    'broken.ts': `throw new Error('this DAG file does not load');`,
  });
  // 00:30: the interval 23:00-00:00 is due, and starts half an hour after it ended.
  const clock = new TestClock('2018-11-06T00:30:00Z');
  const scheduler = createScheduler({ engine, clock, dagFolder: folder, pausedAtCreation: false, metrics });
  const exec = testExecutor(t, engine, folder, { clock, metrics, parallelism: 2 });
  const first = await scheduler.tick();
  assert.deepEqual([first.report.runsCreated, first.report.runsStarted, first.report.tasksQueued], [1, 1, 1]);
  exec.executor.wake();
  const [done] = await exec.finished(1);
  assert.equal(done?.outcome.state, 'success');
  clock.advance(60_000);
  const last = await scheduler.tick();
  assert.equal(last.report.runsFinished[0]?.durationMs, 60_000, 'started at 00:30, ended at 00:31');
  assert.equal((await listDagRuns(engine, 'm_hourly'))[0]?.state, 'success');

  await udp.until(/^airflow\.dagrun\.duration\.success\.m_hourly:/);
  await udp.until(/^airflow\.executor\.open_slots:2\|g/);
  await udp.until(/^airflow\.pool\.open_slots\.default_pool:128\|g/);
  const got = udp.lines;
  for (const line of [
    'airflow.scheduler_heartbeat:1|c',
    'airflow.dagrun.schedule_delay.m_hourly:1800000|ms',
    'airflow.dagrun.duration.success.m_hourly:60000|ms',
    'airflow.ti.start.m_hourly.one:1|c',
    'airflow.ti.finish.m_hourly.one.success:1|c',
    'airflow.ti_successes:1|c',
    'airflow.dag_processing.import_errors:1|g',
    'airflow.pool.open_slots.default_pool:127|g',
    'airflow.pool.open_slots.default_pool:128|g',
    'airflow.pool.queued_slots.default_pool:1|g',
    'airflow.pool.running_slots.default_pool:0|g',
    'airflow.executor.queued_tasks:1|g',
    'airflow.executor.running_tasks:1|g',
  ]) assert.ok(got.includes(line), `StatsD got ${line}; it got:\n${got.join('\n')}`);
  assert.equal(got.filter((l) => l.startsWith('airflow.scheduler_heartbeat')).length, 2, 'one heartbeat per tick');
  assert.ok(!got.some((l) => l.startsWith('airflow.ti_failures')), 'no failure counted');
  assert.deepEqual(got.filter((l) => l.startsWith('airflow.executor.running_tasks')), ['airflow.executor.running_tasks:0|g', 'airflow.executor.running_tasks:1|g', 'airflow.executor.running_tasks:0|g'],
    'the executor gauges are sent when they change, not every poll');

  assert.match(contentType, /^text\/plain; version=0\.0\.4/);
  const text = await metricsText();
  assert.match(text, /^# HELP sparkify_dagrun_duration_seconds /m);
  assert.match(text, /^# TYPE sparkify_dagrun_duration_seconds histogram$/m);
  assert.match(text, /^sparkify_dagrun_duration_seconds_sum\{dag_id="m_hourly",state="success"\} 60$/m);
  assert.match(text, /^sparkify_dagrun_schedule_delay_seconds_count\{dag_id="m_hourly"\} 1$/m);
  assert.match(text, /^sparkify_ti_finish_total\{dag_id="m_hourly",task_id="one",state="success"\} 1$/m);
  assert.match(text, /^sparkify_dag_processing_import_errors 1$/m);
  assert.match(text, /^sparkify_pool_open_slots\{pool="default_pool"\} 128$/m);
  assert.match(text, /^sparkify_scheduler_heartbeat_total 2$/m);
});
