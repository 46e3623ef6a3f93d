import { get, seg } from '../api/client.ts';
import { memo } from 'react';
import type { Grid, GridCell, GridRun } from '../api/types.ts';
import { ErrorLine, Loading } from '../components/errors.tsx';
import { StateBadge } from '../components/state-badge.tsx';
import { go, href } from '../router.ts';
import { formatDate, formatSeconds, seconds } from '../states.ts';
import { useData } from '../use-data.ts';
import { RunDetails } from './run-details.tsx';
import { TaskDetails } from './task-details.tsx';

/** How often the grid asks again: fast enough to watch a run move, cheap (one query of the last runs). */
const pollMs = 2000;

/** How many runs the grid shows (Airflow's choices; 25 by default). */
const runChoices = ['25', '50', '100', '365'];

/** Airflow's grid: a column per run (oldest left), a row per task, each cell its task instance's state. */
export function GridView({ dagId, runId, taskId, runs: shown = '25' }: { dagId: string; runId: string | undefined; taskId: string | undefined; runs?: string }) {
  const limit = runChoices.includes(shown) ? shown : '25';
  const { data, error, reload } = useData(() => get<Grid>(`/ui/dags/${seg(dagId)}/grid?limit=${limit}`), [dagId, limit], pollMs);
  if (data === undefined) return <><ErrorLine error={error} /><Loading what="the grid" /></>;
  const runs = [...data.runs].reverse();
  return (
    <div className="grid-layout">
      <div className="grid-scroll">
        <ErrorLine error={error} />
        <label className="small">Runs{' '}
          <select value={limit} onChange={(e) => go(href('dags', dagId, 'grid', { run: runId, task: taskId, runs: e.target.value }))}>
            {runChoices.map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
        </label>
        <GridCells grid={data} runs={runs} dagId={dagId} runId={runId} taskId={taskId} shown={shown} />
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

/**
 * The cells, as rows of links (no table: a table's layout of 10,000 cells costs seconds); colours come
 * from state classes (main.tsx writes them from states.ts), so a cell is one element with no style of its own.
 * Memoised: a poll that brings the same grid re-renders nothing (useData keeps the same object).
 */
const GridCells = memo(function GridCells({ grid, runs, dagId, runId, taskId, shown }: {
  grid: Grid; runs: GridRun[]; dagId: string; runId: string | undefined; taskId: string | undefined; shown: string;
}) {
  const cells = new Map<string, GridCell>(grid.cells.map((c) => [`${c.runId}\u0000${c.taskId}`, c]));
  const longest = Math.max(1, ...runs.map((r) => seconds(r.startDate, r.endDate) ?? 0));
  // Rows of fixed-size cells: flex rows lay out in linear time (one CSS grid of 36,500 items took seconds).
  const nameWidth = { width: `${Math.max(6, ...grid.tasks.map((t) => t.id.length)) + 1}ch` };
  // Each cell's link by concatenation: URLSearchParams per cell was a tenth of the render at 36,500 cells.
  const base = `${href('dags', dagId, 'grid')}?runs=${shown}`;
  const runParam = new Map(runs.map((r) => [r.runId, `&run=${encodeURIComponent(r.runId)}`]));
  return (
    <div className="grid" data-testid="grid" data-runs={runs.length}>
      <div className="grid-row bars">
        <span className="task-name" style={nameWidth} />
        {runs.map((r) => {
          const s = seconds(r.startDate, r.endDate) ?? 0;
          return (
            <span className="bar-slot" key={r.runId}>
              <a href={href('dags', dagId, 'grid', { run: r.runId, runs: shown })} title={`${r.runId}\n${r.state}, ${formatSeconds(s)}`}
                className={`run-bar s-${r.state}${r.runId === runId ? ' selected' : ''}`} data-run={r.runId} data-state={r.state}
                style={{ height: `${Math.max(4, (48 * s) / longest)}px` }} />
            </span>
          );
        })}
      </div>
      {grid.tasks.map((t) => (
        <div className="grid-row" key={t.id}>
          <span className="task-name" style={nameWidth} title={t.operator}>{t.id}</span>
          {runs.map((r) => {
            const c = cells.get(`${r.runId}\u0000${t.id}`);
            const taskParam = `&task=${encodeURIComponent(t.id)}`;
            const state = c?.state ?? 'none';
            return (
              <a key={r.runId} className={`cell s-${state}${r.runId === runId && t.id === taskId ? ' selected' : ''}`}
                href={`${base}${runParam.get(r.runId)}${taskParam}`} data-run={r.runId} data-task={t.id} data-state={state}
                title={`${t.id} · ${r.runId}\n${state}${c?.tryNumber ? `, try ${c.tryNumber}` : ''}`} />
            );
          })}
        </div>
      ))}
    </div>
  );
});

function Legend() {
  const shown = ['queued', 'scheduled', 'running', 'success', 'failed', 'up_for_retry', 'upstream_failed', 'skipped', 'none'];
  return <p className="legend">{shown.map((s) => <span key={s}><i className={`s-${s}`} />{s}</span>)}</p>;
}
