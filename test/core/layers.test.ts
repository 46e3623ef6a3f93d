import assert from 'node:assert/strict';
import { relative, resolve, sep } from 'node:path';
import { test } from 'node:test';
import { importsOf, sourceFiles } from '../support/source-imports.ts';

// The folders of src/ are layers (docs/architecture.md): dependencies point inward, only an engine's folder imports its
// driver, and the pipelines reach the fast paths only at the few places that choose between reference and fast.

const src = resolve(import.meta.dirname, '..', '..', 'src');
const files = sourceFiles(src);
const layerOf = (path: string) => relative(src, path).split(sep)[0] as string;

/** Which top-level folders each folder may import at run time (type-only imports are free: they leave no code). */
const allowed: Record<string, readonly string[]> = {
  core: [],
  types: [],
  datasets: ['core'],
  simulator: ['core'],
  engines: ['core'],
  storage: ['core', 'fastpath'],
  pipelines: ['core', 'datasets', 'engines', 'storage', 'fastpath'],
  fastpath: ['core', 'datasets', 'engines', 'storage', 'pipelines'],
  // Its operators run the pipelines; nothing below it knows it exists.
  orchestrator: ['core', 'datasets', 'engines', 'storage', 'pipelines'],
  // The REST API server (issue 17): over the orchestrator's metadb (and the UI's analytics over the warehouse's
  // reports); only the CLI starts it.
  api: ['core', 'engines', 'orchestrator', 'pipelines'],
  cli: ['core', 'datasets', 'simulator', 'engines', 'storage', 'pipelines', 'fastpath', 'orchestrator', 'api'],
  // The web UI runs in a browser and talks to the server over HTTP only (its types are its own).
  ui: [],
};

/** The only files outside src/fastpath that load a fast path: each picks the reference or the fast way, as its plan says. */
const choicePoints = [
  'pipelines/star-load/star-plan.ts',
  'pipelines/star-load/apply-star-load.ts',
  'pipelines/warehouse/apply-warehouse-load.ts',
  'pipelines/warehouse/copy/stage-table.ts',
  'storage/s3/s3-store.ts',
];

/** Each driver or SDK and the folders that may import it. */
const drivers: [pattern: RegExp, folders: readonly string[]][] = [
  [/^(pg|pg-copy-streams)$/, ['engines/postgres/']],
  [/^@electric-sql\/pglite/, ['engines/pglite/']],
  [/^@duckdb\//, ['engines/duckdb/']],
  [/^cassandra-driver/, ['engines/cassandra/']],
  // The Spark Connect client: gRPC, the protobuf runtime its generated code needs, and Arrow for the results.
  [/^(@grpc\/|@bufbuild\/|protobufjs|google-protobuf|apache-arrow)/, ['engines/spark/']],
  [/^@aws-sdk\//, ['storage/s3/']],
  [/^@smithy\//, ['storage/s3/', 'fastpath/s3/']],
];

test('the folders of src/ are layers: each imports only the folders inward of it', () => {
  assert.ok(files.length > 100, 'the source files were found');
  const breaches: string[] = [];
  for (const file of files) {
    const from = layerOf(file);
    assert.ok(from in allowed, `${relative(src, file)}: a top-level folder the layers do not know; add it to this test and to docs/architecture.md`);
    for (const i of importsOf(file)) {
      if (i.path === undefined || i.typeOnly) continue;
      const to = layerOf(i.path);
      if (to !== from && !(allowed[from] as readonly string[]).includes(to)) breaches.push(`${relative(src, file)} -> ${relative(src, i.path)}`);
    }
  }
  assert.deepEqual(breaches, []);
});

test('outside src/fastpath, only the choice points load a fast path', () => {
  const loaders = new Set<string>();
  for (const file of files) {
    if (layerOf(file) === 'fastpath' || layerOf(file) === 'cli') continue;
    if (importsOf(file).some((i) => i.path !== undefined && !i.typeOnly && layerOf(i.path) === 'fastpath')) loaders.add(relative(src, file).split(sep).join('/'));
  }
  assert.deepEqual([...loaders].sort(), [...choicePoints].sort());
});

test('only an engine folder imports its driver, and only the S3 folders the AWS SDK', () => {
  const breaches: string[] = [];
  for (const file of files) {
    const at = relative(src, file).split(sep).join('/');
    for (const i of importsOf(file)) {
      if (i.path !== undefined || i.typeOnly) continue;
      const rule = drivers.find(([pattern]) => pattern.test(i.specifier));
      if (rule !== undefined && !rule[1].some((folder) => at.startsWith(folder))) breaches.push(`${at} -> ${i.specifier}`);
    }
  }
  assert.deepEqual(breaches, []);
});

test('the check sees a breach: a type-only import is free, a value import is not', () => {
  const sample = resolve(src, 'pipelines', 'warehouse', 'copy', 'csv-records.ts');
  const toFast = importsOf(sample).filter((i) => i.path !== undefined && layerOf(i.path) === 'fastpath');
  assert.ok(toFast.length > 0 && toFast.every((i) => i.typeOnly), 'csv-records names RecordBytes as a type only');
  const stage = importsOf(resolve(src, 'pipelines', 'warehouse', 'copy', 'stage-table.ts'));
  assert.ok(stage.some((i) => i.path !== undefined && layerOf(i.path) === 'fastpath' && !i.typeOnly), 'stage-table loads the conversion pool');
});
