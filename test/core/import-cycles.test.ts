import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { importsOf, sourceFiles } from '../support/source-imports.ts';

const src = resolve(import.meta.dirname, '..', '..', 'src');

/** The cycles of the import graph: each strongly connected component of two or more files, or a file importing itself. */
function importCycles(files: readonly string[]): string[][] {
  const graph = new Map(files.map((f) => [f, importsOf(f).map((i) => i.path).filter((to): to is string => to !== undefined && files.includes(to))]));
  // Tarjan's algorithm.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    for (let w = stack.pop() as string; ; w = stack.pop() as string) {
      onStack.delete(w);
      component.push(w);
      if (w === v) break;
    }
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.map((f) => relative(src, f)).sort());
  };
  for (const f of files) if (!index.has(f)) visit(f);
  return cycles;
}

test('no import cycles in src/ (type-only and dynamic imports count too)', () => {
  const files = sourceFiles(src);
  assert.ok(files.length > 50, 'the source files were found');
  assert.deepEqual(importCycles(files), []);
});

test('the check finds a cycle when there is one, type-only imports included', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sparkify-cycles-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const files = [
    file('a.ts', "import { b } from './b.ts';\nexport const a = 1;\n"),
    file('b.ts', "import type { C } from './c.ts';\nexport const b = 2;\n"),
    file('c.ts', "export type C = number;\nexport { a } from './a.ts';\n"),
    file('d.ts', "import { a } from './a.ts';\n"),
  ];
  assert.deepEqual(importCycles(files).map((c) => c.map((f) => f.slice(f.lastIndexOf('/') + 1))), [['a.ts', 'b.ts', 'c.ts']]);
});
