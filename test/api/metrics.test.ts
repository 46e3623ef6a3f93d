import assert from 'node:assert/strict';
import { test } from 'node:test';
import { recordImportError } from '../../src/orchestrator/metadb/import-errors.ts';
import { setPool } from '../../src/orchestrator/metadb/pools.ts';
import { apiFixture, engineKinds } from './api-fixture.ts';

for (const kind of engineKinds) {
  test(`${kind}: GET /metrics is Prometheus text with the metadb's figures, read at each scrape, without a login`, async (t) => {
    const f = await apiFixture(t, kind);
    if (f === undefined) return;
    const scrape = async () => {
      const res = await f.app.inject({ method: 'GET', url: '/metrics' });
      assert.equal(res.statusCode, 200, res.body);
      assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
      return res.body;
    };
    const value = (text: string, series: string) => {
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    };
    const first = await scrape();
    assert.match(first, /^# HELP sparkify_pool_open_slots /m);
    assert.equal(value(first, 'sparkify_pool_open_slots{pool="default_pool"}'), 128);
    // The fixture's run has its three task instances not yet queued; a new pool and an import error show at the next scrape.
    await setPool(f.engine, 'warehouse', 3);
    await recordImportError(f.engine, { file: 'dags/broken.ts', message: 'SyntaxError', line: 3 }, f.clock.now());
    const second = await scrape();
    assert.equal(value(second, 'sparkify_pool_open_slots{pool="warehouse"}'), 3);
    assert.equal(value(second, 'sparkify_pool_running_slots{pool="warehouse"}'), 0);
    assert.equal(value(second, 'sparkify_dag_processing_import_errors'), 1);
    assert.doesNotMatch(second, /password|secret/i);
  });
}
