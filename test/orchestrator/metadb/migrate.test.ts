import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SparkifyError } from '../../../src/core/errors.ts';
import { PostgresEngine } from '../../../src/engines/postgres/postgres-engine.ts';
import { migrate, requireCurrentSchema } from '../../../src/orchestrator/metadb/migrate.ts';
import { loadMigrations, type Migration } from '../../../src/orchestrator/metadb/migrations.ts';
import { engineKinds, freshEngine } from '../../support/engines.ts';
import { testDatabase } from '../../support/postgres.ts';

const now = () => new Date('2026-12-07T12:00:00Z');
const shipped = loadMigrations();

test('the shipped migrations run 1, 2, 3… and start with 000001-initial', () => {
  assert.deepEqual(shipped.map((m) => m.version), shipped.map((_, i) => i + 1));
  assert.equal(shipped[0]?.name, 'initial');
});

for (const kind of engineKinds) {
  test(`${kind}: migrate applies the schema once; a second migrate is a no-op`, async (t) => {
    const engine = await freshEngine(t, kind);
    if (!engine) return;
    await assert.rejects(requireCurrentSchema(engine, 'test'), (e: SparkifyError) => e.code === 'SPK_E_SCHEMA_VERSION' && /run `sparkify db migrate`/.test(e.message));
    const first = await migrate(engine, { now });
    assert.deepEqual(first, { from: 0, to: shipped.length, applied: shipped.map(({ version, name }) => ({ version, name })) });
    const second = await migrate(engine, { now });
    assert.deepEqual(second, { from: shipped.length, to: shipped.length, applied: [] });
    const rows = await engine.query<{ version: number; name: string; applied_at: Date }>('SELECT version, name, applied_at FROM orch_schema_migrations ORDER BY version');
    assert.deepEqual(rows, shipped.map((m) => ({ version: m.version, name: m.name, applied_at: now() })));
    const [pool] = await engine.query<{ slots: number }>(`SELECT slots FROM orch_pool WHERE pool = 'default_pool'`);
    assert.equal(pool?.slots, 128, 'the initial migration ran once (one default_pool)');
    await requireCurrentSchema(engine, 'test');
  });

  test(`${kind}: a database at a newer version than the code knows is refused`, async (t) => {
    const engine = await freshEngine(t, kind);
    if (!engine) return;
    await migrate(engine);
    await engine.query(`INSERT INTO orch_schema_migrations (version, name, applied_at) VALUES ($1, 'from-the-future', now())`, [shipped.length + 1]);
    const newer = (e: SparkifyError) => e.code === 'SPK_E_SCHEMA_VERSION' && e.message.includes(`schema version ${shipped.length + 1}, newer than this Sparkify knows (${shipped.length})`);
    await assert.rejects(migrate(engine), newer);
    await assert.rejects(requireCurrentSchema(engine, 'test'), newer);
  });

  test(`${kind}: migrations apply in order, each in its own transaction: a failing one leaves the one before it whole`, async (t) => {
    const engine = await freshEngine(t, kind);
    if (!engine) return;
    const three: Migration[] = [
      { version: 1, name: 'one', sql: 'CREATE TABLE m1 (x int); INSERT INTO m1 VALUES (1);' },
      { version: 2, name: 'two', sql: 'ALTER TABLE m1 ADD COLUMN y int; UPDATE m1 SET y = 2;' },
      { version: 3, name: 'broken', sql: 'CREATE TABLE m3 (x int); SELECT no_such_function();' },
    ];
    await assert.rejects(migrate(engine, { migrations: three }));
    const versions = await engine.query<{ version: number }>('SELECT version FROM orch_schema_migrations ORDER BY version');
    assert.deepEqual(versions.map((v) => v.version), [1, 2]);
    assert.deepEqual(await engine.query('SELECT x, y FROM m1'), [{ x: 1, y: 2 }]);
    const [m3] = await engine.query<{ t: string | null }>(`SELECT to_regclass('m3')::text AS t`);
    assert.equal(m3?.t, null, 'the failed migration left nothing behind');
    const fixed = await migrate(engine, { migrations: [...three.slice(0, 2), { version: 3, name: 'fixed', sql: 'CREATE TABLE m3 (x int);' }] });
    assert.deepEqual(fixed, { from: 2, to: 3, applied: [{ version: 3, name: 'fixed' }] });
  });
}

test('postgres: four migrators at once take turns: the schema is applied once, each ends at the latest version', async (t) => {
  const db = await testDatabase(t);
  if (!db) return;
  const engines = Array.from({ length: 4 }, () => new PostgresEngine({ connectionString: db.url, max: 1 }));
  t.after(() => Promise.all(engines.map((e) => e.close())));
  const results = await Promise.all(engines.map((e) => migrate(e)));
  assert.equal(results.flatMap((r) => r.applied).length, shipped.length, 'each migration applied by exactly one migrator');
  assert.ok(results.every((r) => r.to === shipped.length));
  const [count] = await engines[0]!.query<{ n: number }>('SELECT count(*)::int AS n FROM orch_schema_migrations');
  assert.equal(count?.n, shipped.length);
});
