import type { SqlEngine } from '../../engines/engine.ts';
import { stagingSongs } from '../warehouse/staging-tables.ts';
import { intervalSql } from './interval-sql.ts';
import { runStatements, targetOf } from './interval-target.ts';
import { prepareWarehouse } from './prepare-warehouse.ts';
import { stageIntoScratch, type ObjectsToStage } from './stage-objects.ts';

export interface StageSongsResult {
  read: number;
  rejected: number;
  objects: number;
  staged: number;
}

/**
 * Stages all song metadata (it has no time) into staging_songs: COPYed into a table of its own, then one transaction
 * replaces staging_songs' rows with them. Running it again leaves the same rows (idempotent).
 */
export async function stageSongs(engine: SqlEngine, request: ObjectsToStage): Promise<StageSongsResult> {
  const target = targetOf(engine);
  await prepareWarehouse(engine, target);
  const scratch = 'staging_songs_restage';
  const copied = await stageIntoScratch(engine, target, stagingSongs, scratch, request);
  try {
    await engine.transaction((tx) => runStatements(tx, [
      { name: 'delete the staged songs', sql: intervalSql(target, 'delete-staged-songs') },
      { name: 'stage the songs', sql: intervalSql(target, 'insert-staged-songs').replace(':scratch', scratch) },
    ]));
    return { read: copied.counts.read, rejected: copied.counts.quarantined, objects: copied.objects, staged: copied.rows };
  } finally {
    await engine.exec(`DROP TABLE IF EXISTS ${scratch};`);
  }
}
