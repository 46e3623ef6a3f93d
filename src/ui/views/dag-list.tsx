import { get } from '../api/client.ts';
import type { Dag, DagSummary, DeadlineMiss, ImportError } from '../api/types.ts';
import { ErrorLine, Loading } from '../components/errors.tsx';
import { PauseSwitch } from '../components/pause-switch.tsx';
import { StateBadge } from '../components/state-badge.tsx';
import { href } from '../router.ts';
import { formatDate, stateColor } from '../states.ts';
import { useData } from '../use-data.ts';

interface ListData {
  dags: Dag[];
  summaries: Map<string, DagSummary>;
  importErrors: ImportError[];
  /** Missed deadlines per DAG among the newest `missesRead` of all DAGs; `missesCapped`: there were more. */
  misses: Map<string, number>;
  missesCapped: boolean;
}

const missesRead = 1000;

async function loadList(): Promise<ListData> {
  const [dags, summaries, errors, deadlines] = await Promise.all([
    get<{ dags: Dag[] }>('/api/v2/dags?limit=1000&order_by=dag_id'),
    get<{ dags: DagSummary[] }>('/ui/dags'),
    get<{ import_errors: ImportError[] }>('/api/v2/importErrors?limit=1000'),
    get<{ deadlines: DeadlineMiss[]; total_entries: number }>(`/api/v2/dags/~/deadlines?limit=${missesRead}`),
  ]);
  const misses = new Map<string, number>();
  for (const d of deadlines.deadlines) misses.set(d.dag_id, (misses.get(d.dag_id) ?? 0) + 1);
  return {
    dags: dags.dags, summaries: new Map(summaries.dags.map((d) => [d.dagId, d])), importErrors: errors.import_errors,
    misses, missesCapped: deadlines.total_entries > deadlines.deadlines.length,
  };
}

export function DagList() {
  const { data, error, reload } = useData(loadList, [], 5000);
  return (
    <section>
      <h1>DAGs</h1>
      <ErrorLine error={error} />
      {data === undefined ? <Loading what="DAGs" /> : (
        <>
          {data.importErrors.length > 0 && (
            <details className="import-errors" open>
              <summary>{data.importErrors.length} import error{data.importErrors.length === 1 ? '' : 's'}</summary>
              {data.importErrors.map((e) => (
                <div key={e.import_error_id ?? e.filename}><strong>{e.filename}</strong><pre>{e.stack_trace}</pre></div>
              ))}
            </details>
          )}
          <table className="list" data-testid="dag-list">
            <thead>
              <tr><th>Active</th><th>DAG</th><th>Tags</th><th>Schedule</th><th>Recent runs</th><th>Last run</th><th>Next run</th></tr>
            </thead>
            <tbody>
              {data.dags.map((dag) => {
                const recent = data.summaries.get(dag.dag_id)?.recentRuns ?? [];
                const missed = data.misses.get(dag.dag_id) ?? 0;
                return (
                  <tr key={dag.dag_id} data-dag={dag.dag_id}>
                    <td><PauseSwitch dagId={dag.dag_id} paused={dag.is_paused} onChanged={reload} /></td>
                    <td><a href={href('dags', dag.dag_id, 'grid')}>{dag.dag_id}</a>
                      {missed > 0 && (
                        <a className="badge missed-deadlines" href={href('dags', dag.dag_id, 'deadlines')} title="missed deadlines (newest first on the DAG's Deadlines tab)">
                          {missed}{data.missesCapped ? '+' : ''} missed deadline{missed === 1 ? '' : 's'}
                        </a>
                      )}
                      <div className="muted small">{dag.description}</div></td>
                    <td className="tags">{dag.tags.map((t) => <span className="tag" key={t.name}>{t.name}</span>)}</td>
                    <td><code>{dag.timetable_summary ?? ''}</code></td>
                    <td className="recent">
                      {[...recent].reverse().map((r) => (
                        <a key={r.runId} href={href('dags', dag.dag_id, 'grid', { run: r.runId })} title={`${r.runId}: ${r.state}`}
                          className="dot" style={{ background: stateColor(r.state) }} />
                      ))}
                    </td>
                    <td>{recent[0] && <><StateBadge state={recent[0].state} /> {formatDate(recent[0].logicalDate)}</>}</td>
                    <td>{formatDate(dag.next_dagrun_logical_date)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
