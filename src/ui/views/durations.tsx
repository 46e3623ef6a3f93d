import { useMemo } from 'react';
import { get, seg } from '../api/client.ts';
import type { Durations } from '../api/types.ts';
import { ErrorLine, Loading } from '../components/errors.tsx';
import { TimeChart, type Series } from '../components/time-chart.tsx';
import { stateColor } from '../states.ts';
import { useData } from '../use-data.ts';

const palette = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

/** Run durations over the runs' logical dates, and each task's duration trend. */
export function DurationsView({ dagId }: { dagId: string }) {
  const { data, error } = useData(() => get<Durations>(`/ui/dags/${seg(dagId)}/durations?limit=500`), [dagId]);
  const charts = useMemo(() => data && toCharts(data), [data]);
  if (data === undefined || charts === undefined) return <><ErrorLine error={error} /><Loading what="durations" /></>;
  if (data.runs.length === 0) return <p className="muted">No finished runs yet.</p>;
  return (
    <>
      <ErrorLine error={error} />
      <h2>Run duration</h2>
      <TimeChart testId="run-durations" x={charts.runX} series={charts.runSeries} yLabel="seconds" />
      <h2>Task durations</h2>
      <TimeChart testId="task-durations" x={charts.taskX} series={charts.taskSeries} yLabel="seconds" />
    </>
  );
}

function toCharts(data: Durations) {
  // Oldest first, as uPlot needs x ascending; a run's point goes in the series of its end state.
  const runs = [...data.runs].sort((a, b) => Date.parse(a.logicalDate) - Date.parse(b.logicalDate));
  const runX = runs.map((r) => Date.parse(r.logicalDate) / 1000);
  const runSeries: Series[] = (['success', 'failed'] as const).map((state) => ({
    label: state, color: stateColor(state), values: runs.map((r) => (r.state === state ? r.seconds : null)),
  }));
  const dates = [...new Set(data.tasks.map((t) => t.logicalDate))].sort((a, b) => Date.parse(a) - Date.parse(b));
  const index = new Map(dates.map((d, i) => [d, i]));
  const taskIds = [...new Set(data.tasks.map((t) => t.taskId))].sort();
  const taskSeries: Series[] = taskIds.map((id, i) => ({ label: id, color: palette[i % palette.length] as string, values: dates.map(() => null) }));
  for (const t of data.tasks) {
    const s = taskSeries[taskIds.indexOf(t.taskId)];
    const at = index.get(t.logicalDate);
    if (s && at !== undefined) s.values[at] = t.seconds;
  }
  return { runX, runSeries, taskX: dates.map((d) => Date.parse(d) / 1000), taskSeries };
}
