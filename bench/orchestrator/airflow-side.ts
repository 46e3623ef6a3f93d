import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { startAirflow } from '../../scripts/servers/airflow-server.ts';
import { pythonDag, type Shape } from './shapes.ts';
import { shapeTiming, until, type ShapeTiming, type TaskTimes } from './timings.ts';

export interface AirflowRunOptions {
  /** An empty database for Airflow's metadata, on the same Postgres server as ours. */
  databaseUrl: string;
  /** An empty folder for the Python DAGs. */
  dagFolder: string;
  shapes: readonly Shape[];
  /** core.parallelism (the LocalExecutor's processes): the same number of task slots as ours. */
  slots: number;
  timeoutMs: number;
  note: (line: string) => void;
}

/**
 * The same shapes on Apache Airflow 3 (LocalExecutor, its own metadata database on the same server): each DAG is
 * unpaused (and a manual run triggered) through the REST API v2, and the timings are read from Airflow's
 * `task_instance` rows (queued_dttm, start_date, end_date), as ours are from `orch_task_instance`.
 */
export async function runAirflowShapes(o: AirflowRunOptions): Promise<ShapeTiming[]> {
  for (const s of o.shapes) await writeFile(join(o.dagFolder, `${s.dagId}.py`), pythonDag(s));
  o.note(`Airflow: starting api-server, scheduler and dag-processor (parallelism ${o.slots}) …`);
  const airflow = await startAirflow({ databaseUrl: o.databaseUrl, dagsFolder: o.dagFolder, parallelism: o.slots, log: o.note });
  const db = new pg.Client({ connectionString: o.databaseUrl });
  await db.connect();
  try {
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${airflow.apiUrl}${path}`, {
        method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (!res.ok) throw new Error(`Airflow ${method} ${path}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
      return res.json() as Promise<unknown>;
    };
    await until('Airflow to parse the DAG files', async () => {
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM dag d JOIN serialized_dag s USING (dag_id) WHERE d.dag_id = ANY($1)`, [o.shapes.map((s) => s.dagId)]);
      return rows[0]?.n === o.shapes.length;
    }, 300_000, 500);
    const results: ShapeTiming[] = [];
    for (const s of o.shapes) {
      o.note(`Airflow: ${s.dagId} (${s.runs} run${s.runs === 1 ? '' : 's'} × ${s.tasks} tasks) …`);
      const startedAt = new Date();
      await api('PATCH', `/dags/${s.dagId}`, { is_paused: false });
      if (s.name !== 'catchup') await api('POST', `/dags/${s.dagId}/dagRuns`, { logical_date: null });
      await until(`Airflow's runs of ${s.dagId}`, async () => {
        const { rows } = await db.query<{ runs: number; ended: number }>(
          `SELECT count(*)::int AS runs, count(*) FILTER (WHERE state IN ('success', 'failed'))::int AS ended FROM dag_run WHERE dag_id = $1`, [s.dagId]);
        return rows[0] !== undefined && rows[0].runs === s.runs && rows[0].ended === s.runs;
      }, o.timeoutMs, 250);
      const { rows } = await db.query<{ state: string | null; queued_dttm: Date | null; start_date: Date | null; end_date: Date | null }>(
        'SELECT state, queued_dttm, start_date, end_date FROM task_instance WHERE dag_id = $1', [s.dagId]);
      const t = shapeTiming(s, startedAt, rows.map((r): TaskTimes => ({ state: r.state ?? 'none', queued: r.queued_dttm, start: r.start_date, end: r.end_date })));
      o.note(`  ${t.wallSeconds.toFixed(2)} s, ${t.succeeded}/${t.tasks} succeeded, queued → running p50 ${t.startLatencyMs.p50} ms`);
      results.push(t);
      await api('PATCH', `/dags/${s.dagId}`, { is_paused: true });
    }
    return results;
  } finally {
    await db.end();
    await airflow.stop();
  }
}
