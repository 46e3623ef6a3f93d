import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TriggerRule } from '../../../src/orchestrator/dag/serialized-dag.ts';
import { triggerRules } from '../../../src/orchestrator/dag/serialized-dag.ts';
import type { TaskState } from '../../../src/orchestrator/states.ts';
import { countUpstream, evaluateTriggerRule, type RuleOutcome } from '../../../src/orchestrator/scheduler/trigger-rules.ts';

// Upstream states, shortened: S success, F failed, K skipped, U upstream_failed, R running, N none, Y up_for_retry.
const letters: Record<string, TaskState> = { S: 'success', F: 'failed', K: 'skipped', U: 'upstream_failed', R: 'running', N: 'none', Y: 'up_for_retry', X: 'removed' };
const states = (s: string) => [...s].map((c) => letters[c] as TaskState);

// [rule, upstream states, outcome]: Airflow's semantics (TriggerRuleDep, flag_upstream_failed), one row per case.
const table: [TriggerRule, string, RuleOutcome][] = [
  ['all_success', 'SSS', 'run'],
  ['all_success', 'SSR', 'wait'],
  ['all_success', 'SSY', 'wait'],
  ['all_success', 'SFR', 'upstream_failed'],
  ['all_success', 'SUS', 'upstream_failed'],
  ['all_success', 'SKS', 'skipped'],
  ['all_success', 'KKR', 'skipped'],
  ['all_success', 'FKS', 'upstream_failed'],
  ['all_success', 'SSX', 'run'],
  ['all_failed', 'FFF', 'run'],
  ['all_failed', 'FUF', 'run'],
  ['all_failed', 'FFR', 'wait'],
  ['all_failed', 'FSR', 'skipped'],
  ['all_failed', 'FKF', 'skipped'],
  ['all_done', 'SFK', 'run'],
  ['all_done', 'UUU', 'run'],
  ['all_done', 'SFR', 'wait'],
  ['all_done', 'SSY', 'wait'],
  ['one_success', 'SRN', 'run'],
  ['one_success', 'FRN', 'wait'],
  ['one_success', 'KKK', 'skipped'],
  ['one_success', 'FKU', 'upstream_failed'],
  ['one_success', 'FFF', 'upstream_failed'],
  ['one_success', 'KSF', 'run'],
  ['one_failed', 'FRN', 'run'],
  ['one_failed', 'URN', 'run'],
  ['one_failed', 'SRN', 'wait'],
  ['one_failed', 'SSK', 'skipped'],
  ['one_failed', 'SSY', 'wait'],
  ['none_failed', 'SSK', 'run'],
  ['none_failed', 'KKK', 'run'],
  ['none_failed', 'SKR', 'wait'],
  ['none_failed', 'SFR', 'upstream_failed'],
  ['none_failed', 'SUK', 'upstream_failed'],
  ['none_skipped', 'SSS', 'run'],
  ['none_skipped', 'SFU', 'run'],
  ['none_skipped', 'SFR', 'wait'],
  ['none_skipped', 'SKR', 'skipped'],
  ['always', 'NNN', 'run'],
  ['always', 'FUK', 'run'],
];

test('every trigger rule against a table of upstream states', () => {
  const wrong: string[] = [];
  for (const [rule, upstream, expected] of table) {
    const got = evaluateTriggerRule(rule, countUpstream(states(upstream)));
    if (got !== expected) wrong.push(`${rule} ${upstream}: ${got}, expected ${expected}`);
  }
  assert.deepEqual(wrong, []);
  assert.deepEqual(new Set(table.map((r) => r[0])), new Set(triggerRules), 'the table covers every rule');
});

test('a task without upstream tasks runs, whatever its rule', () => {
  for (const rule of triggerRules) assert.equal(evaluateTriggerRule(rule, countUpstream([])), 'run', rule);
});

test('an early verdict is certain: whether the task runs never changes as further upstream tasks finish', () => {
  // For every rule and every way three upstream tasks can finish: once the rule has a verdict, finishing the others
  // never turns a run into a non-run or back. (Which non-run it is may differ: all_success skips as soon as one
  // upstream is skipped, as Airflow does, though a failure later would have said upstream_failed.)
  const finals: TaskState[] = ['success', 'failed', 'skipped', 'upstream_failed'];
  for (const rule of triggerRules.filter((r) => r !== 'always')) {
    for (const a of finals) for (const b of finals) for (const c of finals) {
      const full = evaluateTriggerRule(rule, countUpstream([a, b, c]));
      assert.notEqual(full, 'wait', `${rule} ${a},${b},${c}: all finished, a verdict is due`);
      for (const partial of [[a, 'running', 'running'], [a, b, 'running']] as TaskState[][]) {
        const early = evaluateTriggerRule(rule, countUpstream(partial));
        if (early !== 'wait') assert.equal(early === 'run', full === 'run', `${rule} ${partial.join(',')} then ${c}`);
      }
    }
  }
});
