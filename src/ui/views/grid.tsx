import { get, seg } from '../api/client.ts';
import type { Grid, GridCell } from '../api/types.ts';
import { ErrorLine, Loading } from '../components/errors.tsx';
import { StateBadge } from '../components/state-badge.tsx';
import { go, href } from '../router.ts';
import { formatDate, formatSeconds, seconds, stateColor } from '../states.ts';
import { useData } from '../use-data.ts';
import { RunDetails } from './run-details.tsx';
import { TaskDetails } from './task-details.tsx';

/** How often the grid asks again: fast enough to watch a run move, cheap (one query of the last runs). */
const pollMs = 2000;

/** Airflow's grid: a column per run (oldest left), a row per task, each cell its task instance's state. */
export function GridView({ dagId, runId, taskId }: { dagId: string; runId: string | undefined; taskId: string | undefined }) {
  const { data, error, reload } = useData(() => get<Grid>(`/ui/dags/${seg(dagId)}/grid?limit=25`), [dagId], pollMs);
  if (data === undefined) return <><ErrorLine error={error} /><Loading what="the grid" /></>;
  const runs = [...data.runs].reverse();
  const cells = new Map<string, GridCell>(data.cells.map((c) => [`${c.runId}\u0000${c.taskId}`, c]));
  const longest = Math.max(1, ...runs.map((r) => seconds(r.startDate, r.endDate) ?? 0));
  return (
    <div className="grid-layout">
      <div className="grid-scroll">
        <ErrorLine error={error} />
        <table className="grid" data-testid="grid">
          <thead>
            <tr className="bars">
              <th />
              {runs.map((r) => {
                const s = seconds(r.startDate, r.endDate) ?? 0;
                return (
                  <th key={r.runId}>
                    <a href={href('dags', dagId, 'grid', { run: r.runId })} title={`${r.runId}\n${r.state}, ${formatSeconds(s)}`}
                      className={`run-bar${r.runId === runId ? ' selected' : ''}`} data-run={r.runId} data-state={r.state}
                      style={{ height: `${Math.max(4, (48 * s) / longest)}px`, background: stateColor(r.state) }} />
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {data.tasks.map((t) => (
              <tr key={t.id}>
                <th className="task-name" title={t.operator}>{t.id}</th>
                {runs.map((r) => {
                  const c = cells.get(`${r.runId}\u0000${t.id}`);
                  const selected = r.runId === runId && t.id === taskId;
                  return (
                    <td key={r.runId}>
                      <button className={`cell${selected ? ' selected' : ''}`} data-run={r.runId} data-task={t.id} data-state={c?.state ?? 'none'}
                        title={`${t.id} · ${r.runId}\n${c?.state ?? 'none'}${c?.tryNumber ? `, try ${c.tryNumber}` : ''}`}
                        style={{ background: stateColor(c?.state) }} onClick={() => go(href('dags', dagId, 'grid', { run: r.runId, task: t.id }))} />
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
        {runs.length === 0 && <p className="muted">No runs yet: unpause the DAG or trigger one.</p>}
        <Legend />
      </div>
      <aside className="details">
        {runId && taskId ? <TaskDetails dagId={dagId} runId={runId} taskId={taskId} onChanged={reload} />
          : runId ? <RunDetails dagId={dagId} runId={runId} onChanged={reload} />
          : <p className="muted">Click a cell for its task instance and log, a bar for its run. Latest: {runs.length > 0 && <><StateBadge state={runs[runs.length - 1]?.state} /> {formatDate(runs[runs.length - 1]?.logicalDate)}</>}</p>}
      </aside>
    </div>
  );
}

function Legend() {
  const shown = ['queued', 'scheduled', 'running', 'success', 'failed', 'up_for_retry', 'upstream_failed', 'skipped', 'none'];
  return <p className="legend">{shown.map((s) => <span key={s}><i style={{ background: stateColor(s) }} />{s}</span>)}</p>;
}
