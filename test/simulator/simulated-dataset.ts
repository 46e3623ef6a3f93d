import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { simulate } from '../../src/simulator/simulate.ts';
import type { SimulateOptions, SimulateSummary } from '../../src/simulator/simulate.ts';

/** Test helpers: simulate into a fresh temp folder, list and parse what was written. */

export interface TempRun {
  dir: string;
  summary: SimulateSummary;
  remove(): Promise<void>;
}

export async function simulateToTemp(options: Omit<SimulateOptions, 'outDir'>): Promise<TempRun> {
  const dir = await mkdtemp(join(tmpdir(), 'sparkify-sim-test-'));
  try {
    const summary = await simulate({ ...options, outDir: dir, clock: () => 0 });
    return { dir, summary, remove: () => rm(dir, { recursive: true, force: true }) };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Every file under `root`, as sorted paths relative to it with forward slashes. */
export async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)).split('\\').join('/'))
    .sort();
}

/** The raw lines of every day log (YYYY-MM-DD-events.json) under `root`, a run or a log_data folder, in date order. */
export async function logLines(root: string): Promise<{ file: string; lines: string[] }[]> {
  const files = (await listFiles(root)).filter((f) => /(^|\/)\d{4}-\d{2}-\d{2}-events\.json$/.test(f));
  return Promise.all(
    files.map(async (file) => {
      const text = await readFile(join(root, file), 'utf8');
      return { file, lines: text === '' ? [] : text.split('\n').filter((l) => l.trim() !== '') };
    }),
  );
}

export type LogEvent = Record<string, unknown> & {
  page: string;
  userId: string;
  sessionId: number;
  level: string;
  itemInSession: number;
  ts: number;
};

export async function logEvents(root: string): Promise<LogEvent[]> {
  return (await logLines(root)).flatMap(({ lines }) => lines.map((l) => JSON.parse(l) as LogEvent));
}
