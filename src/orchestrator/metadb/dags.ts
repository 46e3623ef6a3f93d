import type { SqlSession } from '../../engines/engine.ts';
import type { DagVersion, SerializedDag } from '../dag/serialized-dag.ts';
import type { DagRunState } from '../states.ts';
import { sql } from './sql.ts';

export interface DagRow {
  dagId: string;
  file: string;
  isPaused: boolean;
  isActive: boolean;
  latestVersion: string | null;
  nextLogicalDate: Date | null;
  nextDataIntervalStart: Date | null;
  nextDataIntervalEnd: Date | null;
  lastParsedAt: Date | null;
  /** The latest version's serialised DAG. */
  serialized: SerializedDag | null;
}

/**
 * Records a DAG as its file defines it now: active, its latest version this one, a version row added only when the
 * hash is new (`created`). A DAG seen for the first time starts paused unless `pausedAtCreation` is false (Airflow's
 * dags_are_paused_at_creation).
 */
export async function upsertDagVersion(session: SqlSession, version: DagVersion, now: Date, pausedAtCreation = true): Promise<{ created: boolean }> {
  const [row] = await session.query<{ created: boolean }>(sql('upsert-dag-version'), [version.dag.id, version.dag.file, version.hash, version.json, pausedAtCreation, now]);
  return { created: row?.created === true };
}

export async function getDag(session: SqlSession, dagId: string): Promise<DagRow | undefined> {
  const [r] = await session.query<Record<string, unknown>>(sql('get-dag'), [dagId]);
  return r === undefined ? undefined : dagRow(r);
}

function dagRow(r: Record<string, unknown>): DagRow {
  return {
    dagId: r.dag_id as string,
    file: r.file as string,
    isPaused: r.is_paused as boolean,
    isActive: r.is_active as boolean,
    latestVersion: r.latest_version as string | null,
    nextLogicalDate: r.next_logical_date as Date | null,
    nextDataIntervalStart: r.next_data_interval_start as Date | null,
    nextDataIntervalEnd: r.next_data_interval_end as Date | null,
    lastParsedAt: r.last_parsed_at as Date | null,
    serialized: r.serialized as SerializedDag | null,
  };
}

/** The DAGs of `file` other than `keep` (the ones it still defines) become inactive; returns their ids. */
export async function markFileDagsInactive(session: SqlSession, file: string, keep: readonly string[]): Promise<string[]> {
  const rows = await session.query<{ dag_id: string }>(sql('mark-file-dags-inactive'), [file, [...keep]]);
  return rows.map((r) => r.dag_id);
}

/** Pauses or unpauses a DAG; false when there is no such DAG. */
export async function setDagPaused(session: SqlSession, dagId: string, paused: boolean): Promise<boolean> {
  return (await session.query(sql('set-dag-paused'), [dagId, paused])).length > 0;
}

export interface DagListRow extends DagRow {
  lastRunId: string | null;
  lastRunState: DagRunState | null;
  lastRunLogicalDate: Date | null;
}

/** Every DAG, by id, with its latest version and its newest run. */
export async function listDags(session: SqlSession): Promise<DagListRow[]> {
  const rows = await session.query<Record<string, unknown>>(sql('list-dags'));
  return rows.map((r) => ({
    ...dagRow(r),
    lastRunId: r.last_run_id as string | null,
    lastRunState: r.last_run_state as DagRunState | null,
    lastRunLogicalDate: r.last_run_logical_date as Date | null,
  }));
}

export interface LockedDag {
  dagId: string;
  isPaused: boolean;
  isActive: boolean;
  latestVersion: string | null;
  serialized: SerializedDag | null;
}

/**
 * Locks the DAG's row for one scheduler's pass over it, in the caller's transaction; undefined when another
 * transaction holds it (SKIP LOCKED: that DAG waits for the next loop) or there is no such DAG.
 */
export async function lockDag(tx: SqlSession, dagId: string): Promise<LockedDag | undefined> {
  const [r] = await tx.query<{ dag_id: string; is_paused: boolean; is_active: boolean; latest_version: string | null; serialized: SerializedDag | null }>(sql('lock-dag'), [dagId]);
  return r && { dagId: r.dag_id, isPaused: r.is_paused, isActive: r.is_active, latestVersion: r.latest_version, serialized: r.serialized };
}

/** Locks the DAG's row, waiting for a scheduler's pass to end (a clear, a backfill); false when there is no such DAG. */
export async function lockDagForChange(tx: SqlSession, dagId: string): Promise<boolean> {
  return (await tx.query(sql('lock-dag-wait'), [dagId])).length > 0;
}

/** The next run the scheduler will create (undefined: none due any more), shown by `dags list`. */
export async function setDagNextRun(session: SqlSession, dagId: string, next: { logicalDate: Date; dataIntervalStart: Date; dataIntervalEnd: Date } | undefined): Promise<void> {
  await session.query(sql('set-dag-next-run'), [dagId, next?.logicalDate ?? null, next?.dataIntervalStart ?? null, next?.dataIntervalEnd ?? null]);
}

/** A stored version of a DAG (versions never change, so callers may keep it). */
export async function getDagVersion(session: SqlSession, dagId: string, version: string): Promise<SerializedDag | undefined> {
  const [r] = await session.query<{ serialized: SerializedDag }>(sql('get-dag-version'), [dagId, version]);
  return r?.serialized;
}

/** The DAGs a scheduler loop visits: active and unpaused, or with queued or running runs. */
export async function dagsToSchedule(session: SqlSession): Promise<string[]> {
  return (await session.query<{ dag_id: string }>(sql('dags-to-schedule'))).map((r) => r.dag_id);
}
