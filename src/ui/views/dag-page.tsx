import { get, seg } from '../api/client.ts';
import type { Dag } from '../api/types.ts';
import { ErrorLine } from '../components/errors.tsx';
import { PauseSwitch } from '../components/pause-switch.tsx';
import { href } from '../router.ts';
import { useData } from '../use-data.ts';
import { DeadlinesView } from './deadlines.tsx';
import { DurationsView } from './durations.tsx';
import { GanttView } from './gantt.tsx';
import { GraphView } from './graph.tsx';
import { GridView } from './grid.tsx';
import { QualityView } from './quality.tsx';
import { TriggerView } from './trigger.tsx';

const tabs = [['grid', 'Grid'], ['graph', 'Graph'], ['gantt', 'Gantt'], ['durations', 'Durations'], ['quality', 'Data quality'], ['deadlines', 'Deadlines'], ['trigger', 'Trigger']] as const;

/** One DAG: its header (pause switch, tabs) and the tab's view; the run and task chosen travel in the URL. */
export function DagPage({ dagId, tab, query }: { dagId: string; tab: string; query: URLSearchParams }) {
  const { data: dag, error, reload } = useData(() => get<Dag>(`/api/v2/dags/${seg(dagId)}`), [dagId]);
  const run = query.get('run') ?? undefined;
  const task = query.get('task') ?? undefined;
  const runs = query.get('runs') ?? undefined;
  return (
    <section>
      <header className="dag-header">
        <h1>{dagId}</h1>
        {dag && <PauseSwitch dagId={dagId} paused={dag.is_paused} onChanged={reload} />}
        {dag?.timetable_summary && <code className="muted">{dag.timetable_summary}</code>}
        {dag?.tags.map((t) => <span className="tag" key={t.name}>{t.name}</span>)}
      </header>
      <ErrorLine error={error} />
      <nav className="tabs">
        {tabs.map(([id, label]) => (
          <a key={id} className={id === tab ? 'active' : ''} href={href('dags', dagId, id, { run })}>{label}</a>
        ))}
      </nav>
      {tabView(tab, dagId, run, task, runs)}
    </section>
  );
}

function tabView(tab: string, dagId: string, run: string | undefined, task: string | undefined, runs: string | undefined) {
  switch (tab) {
    case 'graph': return <GraphView dagId={dagId} runId={run} />;
    case 'gantt': return <GanttView dagId={dagId} runId={run} />;
    case 'durations': return <DurationsView dagId={dagId} />;
    case 'quality': return <QualityView dagId={dagId} runId={run} />;
    case 'deadlines': return <DeadlinesView dagId={dagId} />;
    case 'trigger': return <TriggerView dagId={dagId} />;
    default: return <GridView dagId={dagId} runId={run} taskId={task} runs={runs} />;
  }
}
