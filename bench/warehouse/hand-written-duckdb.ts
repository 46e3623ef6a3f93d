import { join } from 'node:path';
import type { SqlEngine } from '../../src/engines/engine.ts';
import { planWarehouseLoad } from '../../src/pipelines/warehouse/warehouse-plan.ts';

/**
 * Baseline (a): what an analyst would write by hand in DuckDB over the same files on local disk — read_json straight
 * into the staging tables (DuckDB's own multi-threaded JSON reader, no object store, no per-record checks, no
 * load_errors) — followed by the very same swap-and-transform SQL, so the two differ only in how staging is filled.
 */
export async function handWrittenStaging(engine: SqlEngine, dir: string): Promise<{ name: string; seconds: number }[]> {
  const plan = planWarehouseLoad({ target: 'duckdb', songs: join(dir, 'song_data'), events: join(dir, 'log_data'), eventsFormat: 'auto', maxErrors: 0 });
  const phases: { name: string; seconds: number }[] = [];
  let mark = performance.now();
  const phase = (name: string) => {
    const t = performance.now();
    phases.push({ name, seconds: (t - mark) / 1000 });
    mark = t;
  };
  for (const step of plan.prepare) await engine.exec(step.sql);
  phase('prepare');
  const glob = (sub: string) => `'${join(dir, sub).replaceAll("'", "''")}/**/*.json'`;
  await engine.exec(`INSERT INTO staging_songs_load SELECT * FROM read_json(${glob('song_data')}, format = 'auto', columns = {
    num_songs: 'INTEGER', artist_id: 'VARCHAR', artist_latitude: 'DOUBLE', artist_longitude: 'DOUBLE', artist_location: 'VARCHAR',
    artist_name: 'VARCHAR', song_id: 'VARCHAR', title: 'VARCHAR', duration: 'DOUBLE', year: 'INTEGER'})`);
  phase('read_json songs');
  await engine.exec(`INSERT INTO staging_events_load
    SELECT artist, auth, firstName, gender, itemInSession, lastName, length, level, location, method, page, registration,
           sessionId, song, status, epoch_ms(ts), userAgent, CAST(NULLIF(userId, '') AS INTEGER)
    FROM read_json(${glob('log_data')}, format = 'newline_delimited', columns = {
      artist: 'VARCHAR', auth: 'VARCHAR', firstName: 'VARCHAR', gender: 'VARCHAR', itemInSession: 'INTEGER', lastName: 'VARCHAR',
      length: 'DOUBLE', level: 'VARCHAR', location: 'VARCHAR', method: 'VARCHAR', page: 'VARCHAR', registration: 'DOUBLE',
      sessionId: 'INTEGER', song: 'VARCHAR', status: 'INTEGER', ts: 'BIGINT', userAgent: 'VARCHAR', userId: 'VARCHAR'})`);
  phase('read_json events');
  await engine.transaction(async (tx) => {
    for (const step of plan.commit) await tx.exec(step.sql);
  });
  phase('swap and transform');
  return phases;
}
