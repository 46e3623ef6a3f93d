import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SerializedTask } from '../../../src/orchestrator/dag/serialized-dag.ts';
import type { TaskState } from '../../../src/orchestrator/states.ts';
import { decideRun } from '../../../src/orchestrator/scheduler/decide-run.ts';
import { runStateOf } from '../../../src/orchestrator/scheduler/run-state.ts';
import { task } from './dag-fixture.ts';

const dims = ['Load_artist_dim', 'Load_song_dim', 'Load_time_dim', 'Load_user_dim'];
/** Begin → [Stage_events, Stage_songs] → Load_songplays_fact → [4 dimensions] → Run_data_quality_checks → End */
const sparkify: SerializedTask[] = [
  task('Begin'),
  task('Stage_events', ['Begin']),
  task('Stage_songs', ['Begin']),
  task('Load_songplays_fact', ['Stage_events', 'Stage_songs']),
  ...dims.map((d) => task(d, ['Load_songplays_fact'])),
  task('Run_data_quality_checks', dims),
  task('End', ['Run_data_quality_checks']),
].sort((a, b) => (a.id < b.id ? -1 : 1));

const diamond = [task('a'), task('b', ['a']), task('c', ['a']), task('d', ['b', 'c'])];

/** Runs the run to its end as an executor would: every scheduled task ends as `outcome(id)` says. */
function runToEnd(tasks: SerializedTask[], outcome: (id: string) => TaskState) {
  let states: Record<string, TaskState> = {};
  const waves: string[][] = [];
  for (let i = 0; i < 20; i++) {
    const decisions = decideRun({ tasks, states });
    states = decisions.states;
    if (decisions.schedule.length === 0) return { states, waves, runState: decisions.runState };
    waves.push(decisions.schedule);
    for (const id of decisions.schedule) states[id] = outcome(id);
  }
  throw new Error('the run did not end');
}

test('Sparkify: every task succeeds in 6 waves, following the DAG, and the run succeeds', () => {
  const { waves, runState, states } = runToEnd(sparkify, () => 'success');
  assert.deepEqual(waves, [['Begin'], ['Stage_events', 'Stage_songs'], ['Load_songplays_fact'], dims, ['Run_data_quality_checks'], ['End']]);
  assert.equal(runState, 'success');
  assert.ok(Object.values(states).every((s) => s === 'success'));
});

test('Sparkify: a failed stage marks everything downstream upstream_failed in one pass, and the run fails', () => {
  let states: Record<string, TaskState> = { Begin: 'success', Stage_events: 'failed', Stage_songs: 'running' };
  const first = decideRun({ tasks: sparkify, states });
  assert.deepEqual(first.upstreamFailed, ['Load_songplays_fact', ...dims, 'Run_data_quality_checks', 'End']);
  assert.deepEqual(first.schedule, []);
  assert.equal(first.runState, 'running', 'Stage_songs is still running');
  states = { ...first.states, Stage_songs: 'success' };
  const second = decideRun({ tasks: sparkify, states });
  assert.equal(second.runState, 'failed');
});

test('a run does not end while a task waits for its retry', () => {
  const states: Record<string, TaskState> = Object.fromEntries(sparkify.map((t) => [t.id, 'success' as TaskState]));
  states.End = 'up_for_retry';
  assert.equal(decideRun({ tasks: sparkify, states }).runState, 'running');
  states.End = 'failed';
  assert.equal(decideRun({ tasks: sparkify, states }).runState, 'failed');
});

test('diamond: d waits for both branches; a skipped branch skips d; an all_done d runs after a failure', () => {
  assert.deepEqual(decideRun({ tasks: diamond, states: { a: 'success', b: 'success', c: 'running' } }).schedule, []);
  assert.deepEqual(decideRun({ tasks: diamond, states: { a: 'success', b: 'success', c: 'success' } }).schedule, ['d']);
  const skipped = decideRun({ tasks: diamond, states: { a: 'success', b: 'skipped', c: 'running' } });
  assert.deepEqual(skipped.skip, ['d']);
  const allDone = diamond.map((t) => (t.id === 'd' ? { ...t, triggerRule: 'all_done' as const } : t));
  const { states, runState } = runToEnd(allDone, (id) => (id === 'b' ? 'failed' : 'success'));
  assert.equal(states.d, 'success');
  assert.equal(runState, 'success', 'the leaves decide: b failed but d, the only leaf, succeeded (Airflow)');
});

test('the run fails when a leaf failed, and succeeds when its leaves succeeded or were skipped', () => {
  assert.equal(runStateOf(diamond, { a: 'success', b: 'success', c: 'success', d: 'skipped' }), 'success');
  assert.equal(runStateOf(diamond, { a: 'success', b: 'success', c: 'success', d: 'upstream_failed' }), 'failed');
  assert.equal(runStateOf(diamond, { a: 'success', b: 'success', c: 'success', d: 'queued' }), 'running');
  assert.equal(runStateOf(diamond, { a: 'success', b: 'success', c: 'success' }), 'running', 'a task without an instance yet');
});

test('only none task instances are decided: queued, running and retrying ones are left alone', () => {
  const d = decideRun({ tasks: diamond, states: { a: 'queued' } });
  assert.deepEqual([d.schedule, d.skip, d.upstreamFailed], [[], [], []]);
  assert.equal(d.states.a, 'queued');
});

test('depends_on_past: a task waits until the same task of the previous run succeeded or was skipped', () => {
  const tasks = [task('extract'), task('load', ['extract'], { dependsOnPast: true })];
  const ready = { extract: 'success' } as Record<string, TaskState>;
  const cases: [previous: Record<string, TaskState> | undefined, runs: boolean][] = [
    [undefined, true], // the first run
    [{ extract: 'success', load: 'success' }, true],
    [{ extract: 'success', load: 'skipped' }, true],
    [{ extract: 'success' }, true], // the previous run did not have the task
    [{ extract: 'success', load: 'failed' }, false],
    [{ extract: 'success', load: 'upstream_failed' }, false],
    [{ extract: 'success', load: 'running' }, false],
    [{ extract: 'success', load: 'none' }, false],
    [{ extract: 'success', load: 'up_for_retry' }, false],
  ];
  for (const [previousRun, runs] of cases) {
    const d = decideRun({ tasks, states: ready, previousRun });
    assert.deepEqual(d.schedule, runs ? ['load'] : [], JSON.stringify(previousRun));
    assert.deepEqual(d.waitingOnPast, runs ? [] : ['load']);
    assert.equal(d.states.load, runs ? 'scheduled' : 'none');
  }
  // The root task is not held by a failure of its own previous instance unless it depends on past itself.
  assert.deepEqual(decideRun({ tasks, states: {}, previousRun: { extract: 'failed', load: 'failed' } }).schedule, ['extract']);
  // An upstream failure still marks it upstream_failed: depends_on_past holds only a task that would run.
  const failed = decideRun({ tasks, states: { extract: 'failed' }, previousRun: { load: 'failed' } });
  assert.deepEqual(failed.upstreamFailed, ['load']);
});

test('a cycle or a missing upstream task is SPK_E_DAG_INVALID', () => {
  assert.throws(() => decideRun({ tasks: [task('a', ['b']), task('b', ['a'])], states: {} }), /SPK_E_DAG_INVALID.*cycle/);
  assert.throws(() => decideRun({ tasks: [task('a', ['ghost'])], states: {} }), /SPK_E_DAG_INVALID.*ghost/);
});
