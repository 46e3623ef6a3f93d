import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BaseOperator, dag, serializeDag, task, type JsonValue, type TaskContext } from '../../../src/orchestrator/dag/index.ts';

const fresh = () => dag({ id: 'flow', schedule: null, start: '2024-01-01' });

/** A context as the task runner will give one, its results held in a map (the metadata DB's orch_task_result, later). */
function contextWith(results: Record<string, JsonValue>): TaskContext<any> {
  return {
    dagId: 'flow', taskId: 't', runId: 'manual__1', tryNumber: 1,
    logicalDate: new Date(0), dataIntervalStart: new Date(0), dataIntervalEnd: new Date(0),
    params: {}, runParams: {}, signal: new AbortController().signal, log: () => {},
    resultOf: async (taskId) => results[taskId] ?? null,
    connection: async (id) => ({ conn_type: 'none', host: id, port: null, login: null, schema: null, password: null, extra: {} }),
  };
}

test("a function task's typed result reaches the downstream function that names it as an input", async () => {
  const d = fresh();
  const extract = task(async () => ({ rows: [1, 2, 3], source: 'events' }), { dag: d, id: 'extract' });
  const nothing = task(function cleanUp() {}, { dag: d });
  const count = task(({ data, none }) => {
    const rows: number[] = data.rows; // typed from extract's return value
    const n: null = none;
    return { count: rows.length, source: data.source, n };
  }, { dag: d, id: 'count', inputs: { data: extract, none: nothing }, retries: 2 });
  const s = serializeDag(d).dag;
  const c = s.tasks.find((t) => t.id === 'count');
  assert.deepEqual([c?.operator, c?.upstream, c?.params, c?.retries], ['FunctionTask', ['cleanUp', 'extract'], { inputs: { data: 'extract', none: 'cleanUp' } }, 2]);
  assert.ok(s.tasks.some((t) => t.id === 'cleanUp'), 'the id defaults to the function name');

  assert.deepEqual(await count.execute(contextWith({ extract: { rows: [1, 2, 3], source: 'events' } })), { count: 3, source: 'events', n: null });
  assert.deepEqual(await extract.execute(contextWith({})), { rows: [1, 2, 3], source: 'events' });
});

test('mistakes the compiler catches (checked by npm run typecheck; never run)', () => {
  const neverRun = (d: ReturnType<typeof fresh>) => {
    class Sql extends BaseOperator<{ sql: string }> {
      // @ts-expect-error: a templated field must be one of the operator's settings
      override readonly templateFields = ['sqll'] as const;
      execute(): void {}
    }
    // @ts-expect-error: an unknown trigger rule
    new Sql(d, 'a', { sql: 'select 1', triggerRule: 'all_sucess' });
    // @ts-expect-error: a required setting missing
    new Sql(d, 'b', {});
    // @ts-expect-error: a duration needs a unit
    new Sql(d, 'c', { sql: 'x', retryDelay: '5 minutes' });
    // @ts-expect-error: a Date is not a JSON result
    task(() => new Date(), { dag: d, id: 'when' });
    // @ts-expect-error: a Map is not a JSON result either
    task(async () => new Map<string, number>(), { dag: d, id: 'map' });
    const n = task(() => 1, { dag: d, id: 'n' });
    // @ts-expect-error: the input is a number, not a string
    task(({ v }) => v.toUpperCase(), { dag: d, id: 'upper', inputs: { v: n } });
    // @ts-expect-error: a wrong schedule shape
    dag({ id: 'x', schedule: { every: 5 * 60 }, start: new Date(), timezone: 'UTC', params: { at: new Date() } });
  };
  assert.equal(typeof neverRun, 'function');
});

test('task(fn) needs an id for an anonymous function and a DAG to belong to', () => {
  const d = fresh();
  assert.throws(() => task(() => 1, { dag: d }), /an anonymous function needs options\.id/);
  assert.throws(() => task(function named() {}, { dag: undefined as never }), /options\.dag must be the DAG/);
});
