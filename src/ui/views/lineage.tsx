import { get } from '../api/client.ts';
import type { Lineage } from '../api/types.ts';
import { ErrorLine, Loading } from '../components/errors.tsx';
import { FlowGraph, type FlowNode } from '../components/flow-graph.tsx';
import { go, href } from '../router.ts';
import { useData } from '../use-data.ts';

/**
 * Where a table comes from: the tasks that wrote it, what they read, and so on upstream. Datasets and tasks are both
 * nodes (datasets round, tasks boxed), so a task reading two inputs shows both arrows.
 */
export function LineageView({ name }: { name: string }) {
  const { data, error } = useData(() => get<Lineage>(`/ui/lineage?name=${encodeURIComponent(name)}`), [name]);
  if (data === undefined) return <section><h1>Lineage</h1><ErrorLine error={error} /><Loading what="lineage" /></section>;
  const nodes = new Map<string, FlowNode>();
  const edges = new Set<string>();
  const dataset = (n: string) => nodes.set(`d:${n}`, { id: `d:${n}`, label: n, sub: n === name ? 'asked about' : 'dataset', className: `dataset${n === name ? ' target' : ''}`, color: n === name ? '#ffe9a8' : '#eef4ff' });
  for (const s of data.steps) {
    const task = `t:${s.dagId}.${s.taskId}`;
    nodes.set(task, { id: task, label: s.taskId, sub: `${s.dagId} · ${s.lastRunId}`, className: 'task' });
    dataset(s.output.name);
    edges.add(JSON.stringify([task, `d:${s.output.name}`]));
    for (const i of s.inputs) {
      dataset(i.name);
      edges.add(JSON.stringify([`d:${i.name}`, task]));
    }
  }
  return (
    <section>
      <h1>Lineage</h1>
      <label>Dataset{' '}
        <select value={name} onChange={(e) => go(href('lineage', { name: e.target.value }))} data-testid="lineage-dataset">
          <option value="">(choose a table)</option>
          {data.datasets.map((d) => <option key={d} value={d}>{d}</option>)}
        </select>
      </label>
      <ErrorLine error={error} />
      {name && data.steps.length === 0 && <p className="muted">No task has written {name} yet.</p>}
      {data.steps.length > 0 && (
        <FlowGraph testId="lineage" nodes={[...nodes.values()]} edges={[...edges].map((e) => JSON.parse(e) as [string, string])}
          onNodeClick={(id) => id.startsWith('d:') && go(href('lineage', { name: id.slice(2) }))} />
      )}
    </section>
  );
}
