import type { SqlSession } from '../../engines/engine.ts';
import type { DagVersion, SerializedDag } from '../dag/serialized-dag.ts';
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
  if (r === undefined) return undefined;
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
