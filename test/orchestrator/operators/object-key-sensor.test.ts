import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { SparkifyError } from '../../../src/core/errors.ts';
import { dag } from '../../../src/orchestrator/dag/index.ts';
import { ObjectKeySensor, RescheduleRequest } from '../../../src/orchestrator/operators/index.ts';
import { contextFor } from './make-context.ts';

const key = "log_data/{{ logical_date | date: '%Y/%m' }}/{{ ds }}-events.json";
const rendered = 'log_data/2018/11/2018-11-05-events.json';

async function store(t: TestContext): Promise<{ dir: string; connections: { data: { conn_type: string; extra: { path: string } } } }> {
  const dir = await mkdtemp(join(tmpdir(), 'sparkify-sensor-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return { dir, connections: { data: { conn_type: 'fs', extra: { path: dir } } } };
}

const put = async (dir: string, k: string) => {
  await mkdir(join(dir, k, '..'), { recursive: true });
  await writeFile(join(dir, k), '{}\n');
};

test('poke mode: waits in its slot until the templated key appears, and returns it', async (t) => {
  const { dir, connections } = await store(t);
  const sensor = new ObjectKeySensor(dag({ id: 's', schedule: null, start: '2018-11-01' }), 'wait', { storageConnId: 'data', key, pokeInterval: '20ms', timeout: '30s' });
  assert.deepEqual(sensor.inlets, [{ kind: 'objects', name: 'log_data/' }]);
  // A neighbour with the key as its prefix is not the key.
  await put(dir, `${rendered}.partial`);
  let wrote: Promise<void> | undefined;
  // The object arrives after the first empty poke (the log line is the synchronisation point).
  const context = await contextFor(sensor, { connections, onLog: (l) => { if (l.startsWith('poke 1:')) wrote = put(dir, rendered); } });
  assert.equal(await sensor.execute(context), rendered);
  await wrote;
  assert.ok(context.lines.some((l) => l.startsWith('poke 1: nothing at')));
  assert.deepEqual(sensor.inlets, [{ kind: 'objects', name: join(dir, rendered) }]);
});

test('poke mode: the timeout fails it without a retry (SPK_E_TIMEOUT, not retryable); an abort stops it', async (t) => {
  const { connections } = await store(t);
  const sensor = new ObjectKeySensor(dag({ id: 's', schedule: null, start: '2018-11-01' }), 'wait', { storageConnId: 'data', key, pokeInterval: '10ms', timeout: '50ms' });
  await assert.rejects(sensor.execute(await contextFor(sensor, { connections })), (e: unknown) => e instanceof SparkifyError && e.code === 'SPK_E_TIMEOUT' && !e.retryable);
  const controller = new AbortController();
  const long = new ObjectKeySensor(dag({ id: 's2', schedule: null, start: '2018-11-01' }), 'wait', { storageConnId: 'data', key, pokeInterval: '1h' });
  const reason = new SparkifyError('SPK_E_TASK_STOPPED', 'the worker stops');
  const context = await contextFor(long, { connections, signal: controller.signal, onLog: (l) => l.startsWith('poke 1:') && controller.abort(reason) });
  await assert.rejects(long.execute(context), (e: unknown) => e === reason);
});

test('reschedule mode: "not yet" is a RescheduleRequest for now + pokeInterval; found, the key; the timeout spans reschedules', async (t) => {
  const { dir, connections } = await store(t);
  const sensor = new ObjectKeySensor(dag({ id: 's', schedule: null, start: '2018-11-01' }), 'wait', {
    storageConnId: 'data', key: 'log_data/2018/11/', prefix: true, mode: 'reschedule', pokeInterval: '5m', timeout: '1h',
  });
  const before = Date.now();
  const first = await sensor.execute(await contextFor(sensor, { connections })).then(() => null, (e: unknown) => e);
  const after = Date.now();
  assert.ok(RescheduleRequest.is(first), String(first));
  assert.ok(first.nextTryAt.getTime() >= before + 300_000 && first.nextTryAt.getTime() <= after + 300_000);
  assert.ok(first.firstPokeAt.getTime() >= before && first.firstPokeAt.getTime() <= after);

  // The runner hands firstPokeAt back: the next poke keeps it, and never asks past the timeout.
  const since = new Date(Date.now() - 58 * 60_000);
  const second = await sensor.execute(await contextFor(sensor, { connections, rescheduledSince: since })).then(() => null, (e: unknown) => e);
  assert.ok(RescheduleRequest.is(second));
  assert.equal(second.firstPokeAt, since);
  assert.ok(second.nextTryAt.getTime() <= since.getTime() + 3_600_000);
  await assert.rejects(sensor.execute(await contextFor(sensor, { connections, rescheduledSince: new Date(Date.now() - 61 * 60_000) })),
    (e: unknown) => e instanceof SparkifyError && e.code === 'SPK_E_TIMEOUT' && !e.retryable);

  await put(dir, rendered);
  assert.equal(await sensor.execute(await contextFor(sensor, { connections, rescheduledSince: since })), rendered);
});
