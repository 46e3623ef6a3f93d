/**
 * The DAG processor's child process: the only place DAG files (user code) are imported. It loads the files the parent
 * sends, one at a time, and answers each with the canonical JSON of every DAG the file defined, or the file's error.
 * Started as `node dag-file-child.ts <dag folder>` over an IPC channel; the parent enforces the time limit (it kills
 * this process and starts another for the remaining files).
 */
import { resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bounded } from '../../core/errors.ts';
import { installDagCollector, type DefinedDag } from '../dag/dag-collector.ts';
import type { Dag } from '../dag/dag.ts';
import { serializeDag } from '../dag/serialize-dag.ts';
import { errorLine, errorMessage } from './error-line.ts';
import type { ChildReply, ChildRequest } from './child-messages.ts';

const folder = resolve(process.argv[2] ?? '.');
const defined = installDagCollector();
let current: { file: string; path: string } | null = null;

const send = (reply: ChildReply) => process.send?.(reply);

// A DAG file calling process.exit while loading is the file's error (with its line), not the end of every other file.
process.exit = ((code?: number | string | null) => {
  throw new Error(`process.exit(${code ?? ''}) called while loading the DAG file`);
}) as typeof process.exit;

// An error escaping the import (a rejected promise nobody awaited) belongs to the file being loaded.
const stray = (error: unknown) => {
  if (current === null) return;
  send({ type: 'failed', file: current.file, line: errorLine(error, current.path), message: bounded(errorMessage(error), 2000) });
  current = null;
};
process.on('uncaughtException', stray);
process.on('unhandledRejection', stray);

const toPath = (file: string) => (file.startsWith('file://') ? fileURLToPath(file) : file);
const dagFile = /\.(ts|mts|js|mjs)$/;

/** The DAG folder's file that made `d`: the outermost such frame, so a DAG factory in a helper counts for its caller. */
function madeIn(d: DefinedDag): { path: string; line: number } | null {
  for (let i = d.frames.length - 1; i >= 0; i--) {
    const f = d.frames[i] as DefinedDag['frames'][number];
    const path = toPath(f.file);
    if (path.startsWith(folder + sep) && dagFile.test(path)) return { path, line: f.line };
  }
  return null;
}

async function load(file: string): Promise<void> {
  const path = resolve(folder, file);
  current = { file, path };
  let line: number | null = null;
  try {
    await import(pathToFileURL(path).href);
    const mine = defined.map((d) => ({ d, at: madeIn(d) })).filter((x) => x.at?.path === path);
    const seen = new Map<string, number | null>();
    const dags: string[] = [];
    for (const { d, at } of mine) {
      const dag = d.dag as Dag;
      line = at?.line ?? null;
      if (seen.has(dag.id)) throw new Error(`DAG id '${dag.id}' is defined twice in this file (lines ${seen.get(dag.id)} and ${line})`);
      seen.set(dag.id, line);
      dags.push(serializeDag(dag, { file }).json);
    }
    if (current !== null) send({ type: 'loaded', file, dags });
  } catch (error) {
    if (current !== null) send({ type: 'failed', file, line: errorLine(error, path) ?? line, message: bounded(errorMessage(error), 2000) });
  } finally {
    current = null;
  }
}

process.on('message', (request: ChildRequest) => {
  if (request.type === 'load') void load(request.file);
});
send({ type: 'ready' });
