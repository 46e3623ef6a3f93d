import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { SparkifyError } from '../../../src/core/errors.ts';
import { formatWarehousePlan, planWarehouseLoad, type WarehouseLoadRequest } from '../../../src/pipelines/warehouse/warehouse-plan.ts';
import { targets, type Target } from '../../../src/pipelines/warehouse/targets.ts';
import { runCli } from '../../support/run-cli.ts';

const request = (target: Target, extra: Partial<WarehouseLoadRequest> = {}): WarehouseLoadRequest => ({
  target,
  songs: 's3://udacity-dend/song_data',
  events: 's3://udacity-dend/log_data',
  eventsFormat: 's3://udacity-dend/log_json_path.json',
  maxErrors: 10,
  iamRole: 'arn:aws:iam::123456789012:role/dwhRole',
  region: 'us-west-2',
  ...extra,
});

// The whole compiled plan per target, as reviewed text (test/warehouse/plans/<target>.sql): any change to the SQL a
// target runs shows up here as a diff.
for (const target of targets) {
  test(`the compiled plan for ${target} is exactly the reviewed SQL`, () => {
    const expected = readFileSync(join(import.meta.dirname, 'plans', `${target}.sql`), 'utf8');
    assert.equal(formatWarehousePlan(planWarehouseLoad(request(target))), expected);
  });
}

test('Redshift COPY statements: IAM role, JSON auto or jsonpaths, region, epoch-millisecond timestamps, MAXERROR, GZIP', () => {
  const plan = planWarehouseLoad(request('redshift', { gzip: true, maxErrors: 0 }));
  assert.deepEqual(plan.stage.map((s) => s.sql), [
    [
      'COPY staging_songs_load',
      "FROM 's3://udacity-dend/song_data'",
      "IAM_ROLE 'arn:aws:iam::123456789012:role/dwhRole'",
      "JSON 'auto'",
      "REGION 'us-west-2'",
      'GZIP',
      'MAXERROR 0',
      'COMPUPDATE OFF STATUPDATE OFF;',
    ].join('\n'),
    [
      'COPY staging_events_load',
      "FROM 's3://udacity-dend/log_data'",
      "IAM_ROLE 'arn:aws:iam::123456789012:role/dwhRole'",
      "JSON 's3://udacity-dend/log_json_path.json'",
      "REGION 'us-west-2'",
      "TIMEFORMAT 'epochmillisecs'",
      'GZIP',
      'MAXERROR 0',
      'COMPUPDATE OFF STATUPDATE OFF;',
    ].join('\n'),
  ]);
  assert.equal(planWarehouseLoad(request('redshift', { eventsFormat: 'auto ignorecase' })).stage[1]?.sql.split('\n')[3], "JSON 'auto ignorecase'");
});

test('Redshift keys per table: fact on its join key and sorted on time, small dimensions everywhere, staging even', () => {
  const sql = formatWarehousePlan(planWarehouseLoad(request('redshift')));
  const options = (table: string) => {
    const m = new RegExp(`CREATE TABLE IF NOT EXISTS ${table} \\([\\s\\S]*?\\n\\)\\n([\\s\\S]*?);`).exec(sql);
    return m?.[1]?.split('\n');
  };
  assert.deepEqual(options('songplays'), ['DISTSTYLE KEY', 'DISTKEY (song_id)', 'SORTKEY (start_time)']);
  assert.deepEqual(options('songs'), ['DISTSTYLE KEY', 'DISTKEY (song_id)', 'SORTKEY (song_id)']);
  assert.deepEqual(options('artists'), ['DISTSTYLE ALL', 'SORTKEY (artist_id)']);
  assert.deepEqual(options('users'), ['DISTSTYLE ALL', 'SORTKEY (user_id)']);
  assert.deepEqual(options('time'), ['DISTSTYLE KEY', 'DISTKEY (start_time)', 'SORTKEY (start_time)']);
  assert.deepEqual(options('staging_events'), ['DISTSTYLE EVEN']);
  // Redshift has stl_load_errors of its own; TRUNCATE would commit mid-transaction, so the rebuild DELETEs.
  assert.doesNotMatch(sql, /load_errors \(/);
  assert.doesNotMatch(sql, /^TRUNCATE/m);
});

test('the transform is the same SQL on every target, apart from the steps PostgreSQL runs its own way', () => {
  const commit = (target: Target) => planWarehouseLoad(request(target)).commit;
  const [duck, pg, rs] = [commit('duckdb'), commit('postgres'), commit('redshift')];
  assert.deepEqual(duck, rs);
  // PostgreSQL's own steps are for speed (tables filled bare, keys built after; date_part; the window only over
  // repeated keys); the parity tests hold its results to DuckDB's.
  const own = ['20-clear-star', '70-time', '90-songplays', '99-drop-temporary'];
  assert.deepEqual(pg.map((s) => s.name), duck.map((s) => s.name));
  assert.deepEqual(pg.filter((s) => !own.includes(s.name)), duck.filter((s) => !own.includes(s.name)));
  for (const name of own) assert.notEqual(pg.find((s) => s.name === name)?.sql, duck.find((s) => s.name === name)?.sql, name);
  assert.match(pg.find((s) => s.name === '20-clear-star')?.sql ?? '', /^TRUNCATE songplays, songs, artists, users, time;$/m);
});

test('Redshift plans need S3 sources and an IAM role ARN', () => {
  const config = (e: unknown) => e instanceof SparkifyError && e.code === 'SPK_E_CONFIG';
  assert.throws(() => planWarehouseLoad(request('redshift', { songs: '/data/song_data' })), (e: unknown) => config(e) && /must be an s3:\/\/ URL, got "\/data\/song_data"/.test((e as Error).message));
  assert.throws(() => planWarehouseLoad(request('redshift', { eventsFormat: '/data/paths.json' })), /jsonpaths file must be an s3:\/\/ URL/);
  assert.throws(() => planWarehouseLoad(request('redshift', { iamRole: undefined })), /--iam-role: Redshift COPY needs/);
  assert.throws(() => planWarehouseLoad(request('redshift', { iamRole: "x' --" })), /--iam-role: not an IAM role ARN/);
  // The local targets read directories as well.
  assert.equal(planWarehouseLoad(request('duckdb', { songs: '/data/song_data' })).stage[0]?.from, '/data/song_data');
});

test('sparkify warehouse plan prints the same text, and --json the plan as data', async () => {
  const args = ['warehouse', 'plan', '--from', 's3://udacity-dend', '--iam-role', 'arn:aws:iam::123456789012:role/dwhRole', '--region', 'us-west-2', '--max-errors', '10'];
  const text = await runCli([...args, '--target', 'redshift']);
  assert.equal(text.code, 0, text.stderr);
  assert.equal(text.stdout, readFileSync(join(import.meta.dirname, 'plans', 'redshift.sql'), 'utf8'));
  const json = await runCli([...args, '--target', 'postgres', '--json']);
  assert.equal(json.code, 0, json.stderr);
  assert.deepEqual(JSON.parse(json.stdout), planWarehouseLoad(request('postgres')));
  const bad = await runCli(['warehouse', 'plan', '--from', 's3://udacity-dend', '--target', 'redshift']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--iam-role/);
});
