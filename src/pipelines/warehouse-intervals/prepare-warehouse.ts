import { loadLockWaitMs, type SqlEngine } from '../../engines/engine.ts';
import { loadErrorsDdl, stagingTableDdl } from '../warehouse/staging-ddl.ts';
import { stagingEvents, stagingSongs } from '../warehouse/staging-tables.ts';
import { warehouseSql } from '../warehouse/warehouse-sql.ts';
import type { IntervalTarget } from './interval-target.ts';

const tables = ['staging_events', 'staging_songs', 'load_errors', 'songplays', 'users', 'songs', 'artists', 'time'];

/** Engines (open connections) this process has seen prepared: a schema does not vanish under an open engine. */
const prepared = new WeakSet<SqlEngine>();

/**
 * The warehouse's schema (the one-shot load's own DDL: star tables, staging, load_errors), created once. A run asks
 * the catalog first (DuckDB: about 2 ms, an hourly step's sixth) only once per open engine, so a process running many
 * intervals pays for it once and a new process asks again. The creation takes the load lock in its
 * transaction: PostgreSQL can still fail a CREATE TABLE IF NOT EXISTS racing another (the two stage steps of a
 * first run start at once), and a load running elsewhere is left to finish.
 */
export async function prepareWarehouse(engine: SqlEngine, target: IntervalTarget): Promise<void> {
  if (prepared.has(engine)) return;
  const found = await engine.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name IN (${tables.map((t) => `'${t}'`).join(', ')})`);
  if (found.length < tables.length) {
    await engine.transaction(async (tx) => {
      await engine.lockLoads({ ms: loadLockWaitMs }, tx);
      await tx.exec(warehouseSql(target, 'schema'));
      await tx.exec([stagingTableDdl(target, stagingEvents), stagingTableDdl(target, stagingSongs), loadErrorsDdl(target)].join('\n'));
    });
  }
  prepared.add(engine);
}
