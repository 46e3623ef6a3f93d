import { get, seg } from '../api/client.ts';
import type { GraphData } from '../api/types.ts';
import { ErrorLine, Loading } from '../components/errors.tsx';
import { FlowGraph } from '../components/flow-graph.tsx';
import { go, href } from '../router.ts';
import { stateColor } from '../states.ts';
import { useData } from '../use-data.ts';

/** The DAG's tasks and dependencies, coloured by the states of one run (default: the latest), polled while shown. */
export function GraphView({ dagId, runId }: { dagId: string; runId: string | undefined }) {
  const path = `/ui/dags/${seg(dagId)}/graph${runId ? `?run_id=${seg(runId)}` : ''}`;
  const { data, error } = useData(() => get<GraphData>(path), [path], 2000);
  if (data === undefined) return <><ErrorLine error={error} /><Loading what="the graph" /></>;
  const nodes = data.tasks.map((t) => {
    const s = data.states[t.id]?.state ?? 'none';
    return { id: t.id, label: t.id, sub: `${t.operator} · ${s}`, color: stateColor(s), className: `state-${s}` };
  });
  const edges = data.tasks.flatMap((t) => t.upstream.map((u) => [u, t.id] as [string, string]));
  return (
    <>
      <ErrorLine error={error} />
      <p className="muted">{data.runId ? <>Run <a href={href('dags', dagId, 'grid', { run: data.runId })}>{data.runId}</a></> : 'No run yet'}</p>
      <FlowGraph testId="graph" nodes={nodes} edges={edges}
        onNodeClick={(taskId) => data.runId && go(href('dags', dagId, 'grid', { run: data.runId, task: taskId }))} />
    </>
  );
}
