import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SparkifyError } from '../../../src/core/errors.ts';
import { DuckDbEngine } from '../../../src/engines/duckdb/duckdb-engine.ts';
import { judge, QualityCheckError, runQualityChecks, type QualityCheck } from '../../../src/pipelines/warehouse-intervals/quality-checks.ts';
import { freshWarehouse, warehouseTargets } from '../../support/warehouse.ts';

const check = (expect: QualityCheck['expect']): QualityCheck => ({ name: 'c', sql: 'SELECT 1', expect });

test('each expectation judges the first value, or the rows', () => {
  const one = (v: unknown) => [{ n: v }];
  assert.equal(judge(check({ equals: 3 }), one(3n)).passed, true);
  assert.equal(judge(check({ equals: 3 }), one('3')).passed, true);
  assert.deepEqual(judge(check({ equals: 3 }), one(4)), { name: 'c', sql: 'SELECT 1', expect: { equals: 3 }, value: 4, passed: false, reason: 'expected 3, got 4' });
  for (const [op, passes] of [['>', [5]], ['>=', [4, 5]], ['<', [3]], ['<=', [3, 4]], ['!=', [3, 5]]] as const) {
    for (const v of [3, 4, 5]) assert.equal(judge(check({ op, value: 4 }), one(v)).passed, (passes as readonly number[]).includes(v), `${v} ${op} 4`);
  }
  assert.equal(judge(check({ between: [1, 2] }), one(1.5)).passed, true);
  assert.equal(judge(check({ between: [1, 2] }), one(2.5)).reason, 'expected between 1 and 2, got 2.5');
  assert.equal(judge(check({ equals: 0 }), []).reason, 'expected a number, the query returned no rows');
  assert.equal(judge(check({ equals: 0 }), one(null)).passed, false);
  assert.equal(judge(check({ equals: 0 }), one('abc')).passed, false);
  assert.deepEqual([judge(check('no rows'), []).passed, judge(check('no rows'), one(1)).value], [true, 1]);
  assert.deepEqual([[], one(0), one(null), one(7), one('x')].map((rows) => judge(check('not empty'), rows).passed), [false, false, false, true, true]);
});

test('bad checks are refused before any query runs, naming the field', async () => {
  const engine = await DuckDbEngine.open();
  try {
    for (const [checks, where] of [
      [[], 'quality checks:'], [[{ name: 'a', sql: 'SELECT 1', expect: { equals: 'x' } }], 'quality checks[0].expect'],
      [[{ name: 'a', sql: ' ', expect: 'no rows' }], 'quality checks[0].sql'],
      [[{ name: 'a', sql: 'SELECT 1', expect: { between: [2, 1] } }], 'quality checks[0].expect'],
      [[{ name: 'a', sql: 'SELECT 1', expect: 'no rows' }, { name: 'a', sql: 'SELECT 1', expect: 'no rows' }], 'unique'],
    ] as const) {
      await assert.rejects(runQualityChecks(engine, checks), (e: unknown) => e instanceof SparkifyError && e.code === 'SPK_E_CONFIG' && e.message.includes(where));
    }
  } finally {
    await engine.close();
  }
});

for (const target of warehouseTargets) {
  test(`${target}: every check runs, every result is returned, and the error lists every failed one`, async (t) => {
    const engine = await freshWarehouse(t, target);
    if (!engine) return;
    await engine.exec('CREATE TABLE users (user_id INTEGER, level VARCHAR); INSERT INTO users VALUES (1, \'free\'), (2, \'paid\'), (3, NULL)');
    const checks: QualityCheck[] = [
      { name: 'has users', sql: 'SELECT count(*) FROM users', expect: 'not empty' },
      { name: 'three users', sql: 'SELECT count(*) FROM users', expect: { equals: 3 } },
      { name: 'levels known', sql: 'SELECT user_id FROM users WHERE level IS NULL', expect: 'no rows' },
      { name: 'missing table', sql: 'SELECT count(*) FROM songplays', expect: { op: '>', value: 0 } },
      { name: 'few users', sql: 'SELECT count(*) FROM users', expect: { between: [0, 2] } },
    ];
    const error = await runQualityChecks(engine, checks).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof QualityCheckError);
    assert.equal(error.code, 'SPK_E_QUALITY');
    assert.equal(error.retryable, false);
    assert.deepEqual(error.results.map((r) => [r.name, r.passed, r.value]), [
      ['has users', true, 1], ['three users', true, 3], ['levels known', false, 1], ['missing table', false, null], ['few users', false, 3],
    ]);
    assert.match(error.message, /^SPK_E_QUALITY: 3 of 5 data quality checks failed: levels known \(expected no rows, got 1\); missing table \(the query failed: .+\); few users \(expected between 0 and 2, got 3\)$/);
    assert.deepEqual((await runQualityChecks(engine, checks.slice(0, 2))).map((r) => r.passed), [true, true]);
  });
}
