/**
 * A cycle of the graph given as each node's upstream nodes, as the path `a → b → c → a` in dependency order, or null.
 * Iterative (a 10 000-task chain must not overflow the stack); nodes are visited in sorted order, so the cycle named is
 * the same on every load.
 */
export function findCycle(upstream: ReadonlyMap<string, readonly string[]>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  for (const start of [...upstream.keys()].sort()) {
    if (state.has(start)) continue;
    const path: string[] = [start];
    const next: number[] = [0];
    state.set(start, 'open');
    while (path.length > 0) {
      const node = path[path.length - 1] as string;
      const ups = upstream.get(node) ?? [];
      const i = next[next.length - 1] as number;
      if (i >= ups.length) {
        state.set(node, 'done');
        path.pop();
        next.pop();
        continue;
      }
      next[next.length - 1] = i + 1;
      const up = ups[i] as string;
      if (state.get(up) === 'open') {
        // path runs downstream → upstream; reverse it so the cycle reads in the order tasks would run.
        const cycle = path.slice(path.indexOf(up)).reverse();
        // Started at its smallest id, so one cycle always reads the same way.
        const first = cycle.indexOf([...cycle].sort()[0] as string);
        const rotated = [...cycle.slice(first), ...cycle.slice(0, first)];
        return [...rotated, rotated[0] as string];
      }
      if (!state.has(up) && upstream.has(up)) {
        state.set(up, 'open');
        path.push(up);
        next.push(0);
      }
    }
  }
  return null;
}
