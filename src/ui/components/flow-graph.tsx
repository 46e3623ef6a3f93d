import { Graph, layout } from '@dagrejs/dagre';
import { Background, Controls, MarkerType, ReactFlow, type Edge, type Node } from '@xyflow/react';
import { useMemo } from 'react';

export interface FlowNode {
  id: string;
  label: string;
  /** A second line (the operator, a state). */
  sub?: string;
  color?: string;
  /** A CSS class for tests and styling (e.g. the state). */
  className?: string;
}

const width = 190;
const height = 46;

/** Left-to-right positions from dagre: the layout is computed once per shape, not per poll (states only recolour). */
function positions(nodes: readonly FlowNode[], edges: readonly [string, string][]): Map<string, { x: number; y: number }> {
  const g = new Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 60 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { width, height });
  for (const [from, to] of edges) g.setEdge(from, to);
  layout(g);
  return new Map(nodes.map((n) => {
    const p = g.node(n.id);
    return [n.id, { x: p.x - width / 2, y: p.y - height / 2 }];
  }));
}

/** A read-only DAG drawing: tasks (or datasets) as boxes, dependencies as arrows. */
export function FlowGraph({ nodes, edges, onNodeClick, testId }: { nodes: FlowNode[]; edges: [string, string][]; onNodeClick?: (id: string) => void; testId?: string }) {
  const shape = JSON.stringify([nodes.map((n) => n.id), edges]);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const at = useMemo(() => positions(nodes, edges), [shape]);
  const flowNodes: Node[] = nodes.map((n) => ({
    id: n.id,
    position: at.get(n.id) ?? { x: 0, y: 0 },
    data: { label: <div><strong>{n.label}</strong>{n.sub && <div className="small">{n.sub}</div>}</div> },
    className: `flow-node ${n.className ?? ''}`,
    style: { width, background: n.color ?? '#fff' },
    draggable: false,
    connectable: false,
    sourcePosition: 'right' as Node['sourcePosition'],
    targetPosition: 'left' as Node['targetPosition'],
  }));
  const flowEdges: Edge[] = edges.map(([from, to]) => ({ id: `${from}->${to}`, source: from, target: to, markerEnd: { type: MarkerType.ArrowClosed } }));
  return (
    <div className="flow" data-testid={testId}>
      <ReactFlow nodes={flowNodes} edges={flowEdges} fitView fitViewOptions={{ maxZoom: 1 }} nodesDraggable={false} nodesConnectable={false} proOptions={{ hideAttribution: true }}
        onNodeClick={(_, node) => onNodeClick?.(node.id)}>
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
