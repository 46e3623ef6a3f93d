import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BaseOperator, dag, serializeDag, type TaskContext } from '../../../src/orchestrator/dag/index.ts';

// Placeholders for the operators built later: the shape of dags/sparkify.ts must be expressible today.
class Empty extends BaseOperator {
  execute(): void {}
}
class Stage extends BaseOperator<{ table: string; key: string }> {
  override readonly templateFields = ['key'] as const;
  execute(context: TaskContext<{ table: string; key: string }>): void {
    context.log(context.params.key);
  }
}
class Load extends BaseOperator<{ table: string }> {
  execute(): void {}
}

function sparkify() {
  const d = dag({
    id: 'sparkify',
    schedule: '@hourly',
    start: '2018-11-01',
    catchup: true,
    defaultArgs: { owner: 'sparkify', retries: 3, retryDelay: '5m', dependsOnPast: false },
    tags: ['warehouse', 'course'],
  });
  const begin = new Empty(d, 'Begin');
  const events = new Stage(d, 'Stage_events', { table: 'staging_events', key: 'log_data/{{ logical_date | date: "%Y/%m" }}/{{ ds }}-events.json', outlets: [{ kind: 'table', name: 'warehouse.staging_events' }] });
  const songs = d.task(Stage, 'Stage_songs', { table: 'staging_songs', key: 'song_data' });
  const fact = d.task(Load, 'Load_songplays_fact', { table: 'songplays' });
  const dims = ['user', 'song', 'artist', 'time'].map((n) => new Load(d, `Load_${n}_dim`, { table: `${n}s` }));
  const quality = new Empty(d, 'Run_data_quality_checks');
  begin.then([events, songs]);
  fact.after(events, songs).then(dims);
  quality.after(dims).then(new Empty(d, 'End'));
  return d;
}

test('the Sparkify DAG shape serialises with its dependencies, schedule and default args', () => {
  const { dag: s, json, hash } = serializeDag(sparkify(), { file: 'sparkify.ts' });
  assert.deepEqual(s.schedule, { kind: 'cron', expression: '0 * * * *' });
  assert.equal(s.start, '2018-11-01T00:00:00.000Z');
  assert.equal(s.catchup, true);
  const up = Object.fromEntries(s.tasks.map((t) => [t.id, t.upstream]));
  assert.deepEqual(up, {
    Begin: [],
    End: ['Run_data_quality_checks'],
    Load_artist_dim: ['Load_songplays_fact'],
    Load_song_dim: ['Load_songplays_fact'],
    Load_songplays_fact: ['Stage_events', 'Stage_songs'],
    Load_time_dim: ['Load_songplays_fact'],
    Load_user_dim: ['Load_songplays_fact'],
    Run_data_quality_checks: ['Load_artist_dim', 'Load_song_dim', 'Load_time_dim', 'Load_user_dim'],
    Stage_events: ['Begin'],
    Stage_songs: ['Begin'],
  });
  assert.deepEqual(s.tasks.map((t) => t.id), Object.keys(up), 'tasks sorted by id');
  for (const t of s.tasks) {
    assert.equal(t.retries, 3);
    assert.equal(t.retryDelayMs, 300_000);
    assert.equal(t.dependsOnPast, false);
    assert.equal(t.owner, 'sparkify');
    assert.equal(t.triggerRule, 'all_success');
  }
  const events = s.tasks.find((t) => t.id === 'Stage_events');
  assert.equal(events?.operator, 'Stage');
  assert.deepEqual(events?.templateFields, ['key']);
  assert.deepEqual(events?.params, { key: 'log_data/{{ logical_date | date: "%Y/%m" }}/{{ ds }}-events.json', table: 'staging_events' });
  assert.deepEqual(events?.outlets, [{ kind: 'table', name: 'warehouse.staging_events' }]);
  assert.match(hash, /^[0-9a-f]{64}$/);
  assert.equal(serializeDag(sparkify(), { file: 'sparkify.ts' }).json, json, 'built twice, the same bytes');
});
