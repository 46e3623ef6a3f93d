import type { SqlEngine } from '../../engines/engine.ts';
import { stagingEvents } from '../warehouse/staging-tables.ts';
import { bindInterval, checkInterval, type DataInterval } from './data-interval.ts';
import { intervalSql } from './interval-sql.ts';
import { runStatements, targetOf } from './interval-target.ts';
import { prepareWarehouse } from './prepare-warehouse.ts';
import { stageIntoScratch, type ObjectsToStage } from './stage-objects.ts';

export interface StageEventsRequest extends ObjectsToStage {
  interval: DataInterval;
}

export interface StageEventsResult {
  /** Records COPY read from the objects (the whole day's file for an hourly run), and those it rejected. */
  read: number;
  rejected: number;
  objects: number;
  /** Events of the interval now in staging_events. */
  staged: number;
}

/**
 * Stages the events of [start, end) into staging_events: the objects under the run's key are COPYed into a table of
 * the run's own, then one transaction deletes the interval's staged events and inserts its events from there, so a
 * re-run replaces exactly the interval's rows and a failed one changes nothing.
 */
export async function stageEvents(engine: SqlEngine, request: StageEventsRequest): Promise<StageEventsResult> {
  const target = targetOf(engine);
  const interval = checkInterval(request.interval);
  await prepareWarehouse(engine, target);
  // Named after the interval: a retry of the same run drops what a crashed try left.
  const scratch = `staging_events_at_${interval.start.toISOString().replace(/\D/g, '').slice(0, 14)}`;
  const copied = await stageIntoScratch(engine, target, stagingEvents, scratch, request);
  try {
    const staged = await engine.transaction(async (tx) => {
      await runStatements(tx, [
        { name: 'delete the interval\'s staged events', sql: bindInterval(intervalSql(target, 'delete-staged-events'), interval) },
        { name: 'stage the interval\'s events', sql: bindInterval(intervalSql(target, 'insert-staged-events'), interval).replace(':scratch', scratch) },
      ]);
      const rows = await tx.query<{ n: number | string }>(bindInterval('SELECT count(*) AS n FROM staging_events WHERE ts >= :interval_start AND ts < :interval_end', interval));
      return Number(rows[0]?.n ?? 0);
    });
    return { read: copied.counts.read, rejected: copied.counts.quarantined, objects: copied.objects, staged };
  } finally {
    await engine.exec(`DROP TABLE IF EXISTS ${scratch};`);
  }
}
