import { get, seg } from '../api/client.ts';
import type { Gantt, Grid } from '../api/types.ts';
import { ErrorLine, Loading } from '../components/errors.tsx';
import { go, href } from '../router.ts';
import { formatSeconds, stateColor } from '../states.ts';
import { useData } from '../use-data.ts';

/** The run to show: the one asked for, else the DAG's latest. */
async function loadGantt(dagId: string, runId: string | undefined): Promise<Gantt | null> {
  let run = runId;
  if (!run) run = (await get<Grid>(`/ui/dags/${seg(dagId)}/grid?limit=1`)).runs[0]?.runId;
  return run ? get<Gantt>(`/ui/dags/${seg(dagId)}/runs/${seg(run)}/gantt`) : null;
}

const rowHeight = 22;
const labelWidth = 200;
const plotWidth = 700;

/** One run's tries on a time axis: a bar per try, from its start to its end (now, while it runs). */
export function GanttView({ dagId, runId }: { dagId: string; runId: string | undefined }) {
  const { data, error } = useData(() => loadGantt(dagId, runId), [dagId, runId], 3000);
  if (data === undefined) return <><ErrorLine error={error} /><Loading what="the gantt chart" /></>;
  if (data === null) return <p className="muted">No run yet.</p>;
  const now = Date.now();
  const tries = data.tries.map((t) => ({ ...t, start: Date.parse(t.startDate), end: t.endDate ? Date.parse(t.endDate) : now }));
  const t0 = Math.min(...tries.map((t) => t.start));
  const t1 = Math.max(t0 + 1, ...tries.map((t) => t.end));
  const x = (t: number) => labelWidth + ((t - t0) / (t1 - t0)) * plotWidth;
  const tasks = [...new Set(tries.map((t) => t.taskId))];
  const height = tasks.length * rowHeight + 30;
  return (
    <>
      <ErrorLine error={error} />
      <p className="muted">Run <a href={href('dags', dagId, 'grid', { run: data.runId })}>{data.runId}</a>: {formatSeconds((t1 - t0) / 1000)} from the first try's start</p>
      <svg className="gantt" data-testid="gantt" width={labelWidth + plotWidth + 20} height={height} role="img" aria-label="gantt chart">
        {tasks.map((task, i) => <text key={task} x={4} y={i * rowHeight + 15} className="small">{task}</text>)}
        {tries.map((t) => {
          const i = tasks.indexOf(t.taskId);
          return (
            <rect key={`${t.taskId}-${t.tryNumber}`} x={x(t.start)} y={i * rowHeight + 3} width={Math.max(2, x(t.end) - x(t.start))} height={rowHeight - 6}
              fill={stateColor(t.state)} stroke="#333" strokeWidth={0.5} data-task={t.taskId} className="gantt-bar"
              onClick={() => go(href('dags', dagId, 'grid', { run: data.runId, task: t.taskId }))}>
              <title>{`${t.taskId} try ${t.tryNumber}: ${t.state}, ${formatSeconds((t.end - t.start) / 1000)}`}</title>
            </rect>
          );
        })}
        <line x1={labelWidth} x2={labelWidth + plotWidth} y1={height - 24} y2={height - 24} stroke="#999" />
        <text x={labelWidth} y={height - 8} className="small">0 s</text>
        <text x={labelWidth + plotWidth} y={height - 8} textAnchor="end" className="small">{formatSeconds((t1 - t0) / 1000)}</text>
      </svg>
    </>
  );
}
