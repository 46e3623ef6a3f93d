import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The modules a file loads at run time, following static and dynamic imports (type-only imports are erased). */
function runtimeImports(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  const specs = [
    ...[...text.matchAll(/^\s*(?:import|export)\s+(?!type\b)[^'";]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]),
    ...[...text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]),
    ...[...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]),
  ];
  for (const spec of specs) if (spec?.startsWith('.')) runtimeImports(resolve(dirname(file), spec), seen);
  return seen;
}

test('the scheduler loop loads no DAG or operator code: not base-operator.ts, dag.ts, the DAG-file child or a DAG file', () => {
  const loaded = [...runtimeImports(resolve(root, 'src/orchestrator/scheduler-loop/index.ts'))].map((f) => relative(root, f)).sort();
  assert.ok(loaded.includes('src/orchestrator/scheduler-loop/scheduler-tick.ts'), 'the walk found the loop itself');
  assert.ok(loaded.includes('src/orchestrator/scheduler/decide-run.ts'), 'and the pure scheduler');
  const forbidden = loaded.filter((f) =>
    f === 'src/orchestrator/dag/base-operator.ts' || f === 'src/orchestrator/dag/dag.ts' || f === 'src/orchestrator/dag/function-task.ts' ||
    f === 'src/orchestrator/dag-processor/dag-file-child.ts' || f.startsWith('src/orchestrator/operators/') || f.startsWith('dags/') || f.startsWith('src/cli/'));
  assert.deepEqual(forbidden, []);
});
