import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SparkifyError } from '../../../src/core/errors.ts';
import { cassandraOptions, CassandraHook } from '../../../src/orchestrator/hooks/cassandra-hook.ts';
import { describeConnection, type HookConnection } from '../../../src/orchestrator/hooks/connection.ts';
import { ObjectStoreHook, objectStoreOptions } from '../../../src/orchestrator/hooks/object-store-hook.ts';
import { SqlHook, sqlEngineOptions } from '../../../src/orchestrator/hooks/sql-hook.ts';
import { WarehouseHook, warehouseOptions } from '../../../src/orchestrator/hooks/warehouse-hook.ts';
import { parseLocation } from '../../../src/storage/location.ts';
import { requireDataset, sample } from '../../support/datasets.ts';
import { testDatabase } from '../../support/postgres.ts';

const secret = 'p@ss:w/rd S3CRET';
const isConfig = (e: unknown) => e instanceof SparkifyError && e.code === 'SPK_E_CONFIG' && !e.message.includes(secret);

/** The fields of a postgres:// URL, as a connection keeps them. */
function fromUrl(url: string, conn_type = 'postgres'): HookConnection {
  const u = new URL(url);
  return { conn_type, host: u.hostname, port: Number(u.port), login: decodeURIComponent(u.username), password: decodeURIComponent(u.password), schema: u.pathname.slice(1) };
}

describe('connections map to the engines\' own options, and never show the password', () => {
  test('postgres: schema is the database, login and password encoded, extra.sslmode', () => {
    const options = sqlEngineOptions({ conn_type: 'postgres', host: 'db.example', port: 5433, login: 'etl user', password: secret, schema: 'sparkify', extra: '{"sslmode":"require"}' });
    assert.equal(options.kind, 'postgres');
    const url = new URL((options as { connectionString: string }).connectionString);
    assert.deepEqual([url.hostname, url.port, decodeURIComponent(url.username), decodeURIComponent(url.password), url.pathname, url.searchParams.get('sslmode')],
      ['db.example', '5433', 'etl user', secret, '/sparkify', 'require']);
    assert.deepEqual(sqlEngineOptions({ conn_type: 'pglite', host: '/data/pglite' }), { kind: 'pglite', dir: '/data/pglite' });
    assert.deepEqual(sqlEngineOptions({ conn_type: 'pglite' }), { kind: 'pglite' });
    assert.throws(() => sqlEngineOptions({ conn_type: 'mysql', password: secret }), isConfig);
    assert.throws(() => sqlEngineOptions({ conn_type: 'postgres', password: secret, extra: `{"bad": ${secret}` }), isConfig);
  });

  test('descriptions name the connection without its password', () => {
    const connection = { conn_type: 'postgres', host: 'db', port: 5432, login: 'etl', password: secret, schema: 'sparkify', extra: { sslmode: secret } };
    assert.equal(describeConnection(connection), 'postgres etl@db:5432/sparkify');
    for (const hook of [new SqlHook(connection), new WarehouseHook(connection)]) assert.ok(!hook.description.includes(secret));
    assert.ok(!new ObjectStoreHook({ conn_type: 'aws', login: 'AKIA', password: secret }).description.includes(secret));
  });

  test('warehouse: duckdb file or memory with threads, postgres, redshift as text', () => {
    assert.deepEqual(warehouseOptions({ conn_type: 'duckdb', host: '/data/w.duckdb', extra: { threads: 1 } }), { target: 'duckdb', path: '/data/w.duckdb', threads: 1 });
    assert.deepEqual(warehouseOptions({ conn_type: 'duckdb' }), { target: 'duckdb' });
    assert.throws(() => warehouseOptions({ conn_type: 'duckdb', extra: { threads: 0 } }), isConfig);
    assert.deepEqual(warehouseOptions({ conn_type: 'redshift', extra: { iam_role: 'arn:aws:iam::123456789012:role/dwhRole', region: 'us-west-2' } }),
      { target: 'redshift', iamRole: 'arn:aws:iam::123456789012:role/dwhRole', region: 'us-west-2' });
  });

  test('object store: fs root, aws keys, region and endpoint', () => {
    assert.deepEqual(objectStoreOptions({ conn_type: 'fs', extra: { path: '/data' } }), { kind: 'local', root: '/data' });
    assert.deepEqual(objectStoreOptions({ conn_type: 'aws', login: 'AKIA', password: secret, schema: 'udacity-dend', extra: { region_name: 'us-west-2', endpoint_url: 'http://127.0.0.1:9000' } }),
      { kind: 's3', bucket: 'udacity-dend', config: { region: 'us-west-2', endpoint: 'http://127.0.0.1:9000', credentials: { accessKeyId: 'AKIA', secretAccessKey: secret } } });
    assert.deepEqual(objectStoreOptions({ conn_type: 'aws' }), { kind: 's3', config: { region: 'us-east-1' } });
    assert.throws(() => objectStoreOptions({ conn_type: 'aws', password: secret }), isConfig);
    assert.throws(() => objectStoreOptions({ conn_type: 'fs' }), isConfig);
  });

  test('cassandra: contact points take the port, schema is the keyspace, extras as the CLI validates them', () => {
    const config = cassandraOptions({ conn_type: 'cassandra', host: 'c1, c2:9043', port: 9142, login: 'etl', password: secret, schema: 'sparkify_ks', extra: { local_dc: 'dc1', replication: 'SimpleStrategy:1', consistency: 'one' } });
    assert.deepEqual([config.contactPoints, config.keyspace, config.localDataCenter, config.consistency, config.credentials],
      [['c1:9142', 'c2:9043'], 'sparkify_ks', 'dc1', 'ONE', { username: 'etl', password: secret }]);
    assert.ok(!new CassandraHook({ conn_type: 'cassandra', host: 'c1', login: 'etl', password: secret }).description.includes(secret));
    assert.throws(() => cassandraOptions({ conn_type: 'cassandra', host: 'c1', login: 'etl' }), isConfig);
  });
});

describe('hooks open their engines on first use', () => {
  test('SQL hook: PGlite in memory and the Postgres server; one engine however often asked', async (t) => {
    const pglite = new SqlHook({ conn_type: 'pglite' });
    t.after(() => pglite.close());
    const [a, b] = await Promise.all([pglite.engine(), pglite.engine()]);
    assert.equal(a, b);
    assert.deepEqual(await a.query('SELECT 1 AS one'), [{ one: 1 }]);
    const db = await testDatabase(t);
    if (!db) return;
    const server = new SqlHook(fromUrl(db.url));
    t.after(() => server.close());
    assert.equal((await server.engine()).kind, 'postgres');
    assert.deepEqual(await (await server.engine()).query('SELECT current_database() AS name'), [{ name: db.name }]);
  });

  test('a failed connection is an error that does not show the password', async (t) => {
    const db = await testDatabase(t);
    if (!db) return;
    const hook = new SqlHook({ ...fromUrl(db.url), port: 1, password: secret });
    t.after(() => hook.close());
    await assert.rejects(async () => (await hook.engine()).query('SELECT 1'), (e: Error) => !e.message.includes(secret) && !String(e.stack).includes(secret));
  });

  test('warehouse hook: DuckDB and Postgres run SQL; Redshift compiles the plan and runs nothing', async (t) => {
    const duck = new WarehouseHook({ conn_type: 'duckdb', extra: { threads: 1 } });
    t.after(() => duck.close());
    assert.deepEqual(await (await duck.engine()).query("SELECT current_setting('threads') AS n"), [{ n: 1 }]);
    const redshift = new WarehouseHook({ conn_type: 'redshift', extra: { iam_role: 'arn:aws:iam::123456789012:role/dwhRole', region: 'us-west-2' } });
    const sql = redshift.compile({ songs: 's3://udacity-dend/song_data', events: 's3://udacity-dend/log_data', eventsFormat: 's3://udacity-dend/log_json_path.json', maxErrors: 0 });
    assert.match(sql, /COPY staging_events_load\nFROM 's3:\/\/udacity-dend\/log_data'\nIAM_ROLE 'arn:aws:iam::123456789012:role\/dwhRole'/);
    await assert.rejects(redshift.engine(), isConfig);
    const db = await testDatabase(t);
    if (!db) return;
    const pg = new WarehouseHook(fromUrl(db.url, 'postgresql'));
    t.after(() => pg.close());
    assert.equal((await pg.engine()).kind, 'postgres');
  });

  test('object-store hook: a directory opened as the pipelines open a location; S3 locations need an aws connection', async (t) => {
    if (!requireDataset(t, sample.root)) return;
    const hook = new ObjectStoreHook({ conn_type: 'fs', extra: { path: sample.root } });
    const store = await hook.store();
    t.after(() => store.close());
    const keys: string[] = [];
    for await (const o of store.list('log_data/2018/11/2018-11-0')) keys.push(o.key);
    assert.equal(keys.length, 9);
    await assert.rejects(hook.open(parseLocation('s3://udacity-dend/log_data')), isConfig);
  });
});
