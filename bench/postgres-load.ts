/**
 * Simulated datasets of N events into a fresh PostgreSQL database with the star-schema load, against the limit:
 * a raw COPY of the same finished rows of every star table from CSV files into the same empty, indexed tables
 * (songplays alone, the bulk of it, is shown too).
 * Usage: node bench/postgres-load.ts [--events 1000000] [--events 10000000] [--runs 1] [--songs 10000] [--json]
 * Datasets are cached under ~/.cache/sparkify-bench (SPARKIFY_BENCH_CACHE) and reused.
 */
import { parseArgs } from 'node:util';
import { createProgress } from '../src/core/progress.ts';
import { benchOutput, median, type BenchOutput } from './support/bench-output.ts';
import { startBenchServer, type BenchServer } from './support/bench-server.ts';
import { inputBytes } from './support/input-bytes.ts';
import { exportStarTables, rawCopyStar } from './support/raw-copy.ts';
import { runLoadChild } from './support/run-load-child.ts';
import { serverCpuSecondsSettled } from './support/server-cpu.ts';
import { simDataset } from './support/sim-dataset.ts';

export interface PostgresLoadOptions {
  events: number[];
  runs: number;
  songs: number;
  days: number;
  seed: number;
}

export interface SizeReport {
  requestedEvents: number;
  events: number;
  nextSongEvents: number;
  songs: number;
  inputMB: number;
  songplays: number;
  load: {
    seconds: number;
    eventsPerSecond: number;
    mbPerSecond: number;
    peakRssMB: number;
    /** CPU of the loader process (child) and of the PostgreSQL server during the load: steadier than wall time. */
    loaderCpuSeconds: number;
    serverCpuSeconds: number | null;
    runs: number[];
  };
  /** COPY of every star table's rows; `songplaysSeconds` is the songplays COPY's share of it. */
  rawCopy: { seconds: number; songplaysSeconds: number; rows: number; rowsPerSecond: number; csvMB: number; serverCpuSeconds: number | null; runs: number[] };
  /** load / raw COPY of all star tables: the target's ratio. */
  ratio: number;
  /** load / the songplays COPY alone (the baseline of earlier runs). */
  ratioSongplaysOnly: number;
  /** The slowest run's step times, for profiling. */
  steps: { step: string; seconds: number }[];
  targets: { ratio: boolean; eventsPerSecond: boolean; peakRss: boolean };
}

export const targets = { ratio: 1.5, eventsPerSecond: 200_000, peakRssMB: 512 } as const;

export async function postgresLoad(options: PostgresLoadOptions, out: BenchOutput, shared?: BenchServer): Promise<SizeReport[]> {
  const server = shared ?? (await startBenchServer());
  const reports: SizeReport[] = [];
  try {
    for (const requested of options.events) reports.push(await oneSize(requested, options, out, server));
  } finally {
    if (!shared) await server.stop();
  }
  print(reports, out);
  return reports;
}

async function oneSize(requested: number, options: PostgresLoadOptions, out: BenchOutput, server: BenchServer): Promise<SizeReport> {
  const data = await simDataset({ events: requested, songs: options.songs, days: options.days, seed: options.seed },
    createProgress(process.stderr, !out.json));
  out.note(`${data.generated ? 'generated' : 'reusing'} ${data.dir}: ${data.summary.events.toLocaleString('en-US')} events`);
  const bytes = await inputBytes(data.songs, data.logs);
  const loads: (Awaited<ReturnType<typeof runLoadChild>> & { serverCpu: number | undefined })[] = [];
  const copies: (Awaited<ReturnType<typeof rawCopyStar>> & { serverCpu: number | undefined })[] = [];
  const serverCpu = () => serverCpuSecondsSettled(server.server.dataDir);
  const since = async (before: number | undefined) => {
    const after = await serverCpu();
    return before === undefined || after === undefined ? undefined : after - before;
  };
  let csvBytes = 0;
  for (let run = 1; run <= options.runs; run++) {
    const loadDb = await server.freshDatabase('load');
    try {
      const before = await serverCpu();
      const child = await runLoadChild(data.songs, data.logs, loadDb.url);
      const load = { ...child, serverCpu: await since(before) };
      loads.push(load);
      out.note(`${requested}: load run ${run}: ${load.result.seconds.toFixed(2)} s, peak RSS ${load.peakRssMB.toFixed(0)} MB`);
      // The raw COPY's input, made from the finished rows of a load (untimed) and cached beside the dataset.
      csvBytes = (await exportStarTables(loadDb.url, data.dir)).bytes;
    } finally {
      await loadDb.drop();
    }
    const copyDb = await server.freshDatabase('copy');
    try {
      const before = await serverCpu();
      const copy = await rawCopyStar(copyDb.url, data.dir);
      copies.push({ ...copy, serverCpu: await since(before) });
      out.note(`${requested}: raw COPY run ${run}: ${copies.at(-1)?.seconds.toFixed(2)} s`);
    } finally {
      await copyDb.drop();
    }
  }
  const loadSeconds = median(loads.map((l) => l.result.seconds));
  const copySeconds = median(copies.map((c) => c.seconds));
  const events = loads[0]?.result.sources[1]?.read ?? 0;
  const songplays = loads[0]?.result.tables.find((t) => t.table === 'songplays')?.rows ?? 0;
  const peakRssMB = Math.max(...loads.map((l) => l.peakRssMB));
  const slowest = loads.reduce((a, b) => (b.result.seconds > a.result.seconds ? b : a));
  const ratio = loadSeconds / copySeconds;
  const songplaysSeconds = median(copies.map((c) => c.tables.find((t) => t.table === 'songplays')?.seconds ?? Number.NaN));
  const copiedRows = copies[0]?.tables.reduce((n, t) => n + t.rows, 0) ?? 0;
  return {
    requestedEvents: requested,
    events,
    nextSongEvents: loads[0]?.result.sources[1]?.loaded ?? 0,
    songs: loads[0]?.result.sources[0]?.read ?? 0,
    inputMB: bytes / 1e6,
    songplays,
    load: {
      seconds: loadSeconds,
      eventsPerSecond: events / loadSeconds,
      mbPerSecond: bytes / 1e6 / loadSeconds,
      peakRssMB,
      loaderCpuSeconds: median(loads.map((l) => l.cpuSeconds.user + l.cpuSeconds.system)),
      serverCpuSeconds: medianOrNull(loads.map((l) => l.serverCpu)),
      runs: loads.map((l) => l.result.seconds),
    },
    rawCopy: {
      seconds: copySeconds,
      songplaysSeconds,
      rows: copiedRows,
      rowsPerSecond: copiedRows / copySeconds,
      csvMB: csvBytes / 1e6,
      serverCpuSeconds: medianOrNull(copies.map((c) => c.serverCpu)),
      runs: copies.map((c) => c.seconds),
    },
    ratio,
    ratioSongplaysOnly: loadSeconds / songplaysSeconds,
    steps: slowest.steps,
    targets: { ratio: ratio <= targets.ratio, eventsPerSecond: events / loadSeconds >= targets.eventsPerSecond, peakRss: peakRssMB < targets.peakRssMB },
  };
}

const medianOrNull = (values: (number | undefined)[]) => (values.every((v) => v !== undefined) ? median(values as number[]) : null);
const yesNo = (ok: boolean) => (ok ? 'met' : 'NOT met');
const fmt = (n: number | null, digits = 2) => (n === null ? 'n/a' : n.toFixed(digits));

function print(reports: SizeReport[], out: BenchOutput): void {
  out.table('Star-schema load into PostgreSQL vs raw COPY of the same rows into the same tables (median of runs)', reports.map((r) => ({
    events: r.events,
    'input MB': Math.round(r.inputMB),
    'load s': fmt(r.load.seconds),
    'events/s': Math.round(r.load.eventsPerSecond),
    'MB/s': fmt(r.load.mbPerSecond, 1),
    'raw COPY s (all tables)': fmt(r.rawCopy.seconds),
    'load / COPY': `${fmt(r.ratio)}×`,
    'songplays COPY s': fmt(r.rawCopy.songplaysSeconds),
    'load / songplays COPY': `${fmt(r.ratioSongplaysOnly)}×`,
    'peak RSS MB': Math.round(r.load.peakRssMB),
    'CPU s loader + server': `${fmt(r.load.loaderCpuSeconds, 1)} + ${fmt(r.load.serverCpuSeconds, 1)}`,
    'COPY server CPU s': fmt(r.rawCopy.serverCpuSeconds, 1),
  })));
  out.table(`Targets: ≤ ${targets.ratio}× raw COPY, ≥ ${targets.eventsPerSecond.toLocaleString('en-US')} events/s, peak RSS < ${targets.peakRssMB} MB`,
    reports.map((r) => ({ events: r.events, ratio: yesNo(r.targets.ratio), 'events/s': yesNo(r.targets.eventsPerSecond), 'peak RSS': yesNo(r.targets.peakRss) })));
  for (const r of reports) {
    out.table(`Steps of the slowest load, ${r.events.toLocaleString('en-US')} events`, r.steps.map((s) => ({ step: s.step, seconds: fmt(s.seconds, 3) })));
  }
}

export function parseLoadArgs(args: string[]): PostgresLoadOptions & { json: boolean } {
  const { values } = parseArgs({
    args,
    options: {
      events: { type: 'string', multiple: true },
      runs: { type: 'string', default: '1' },
      songs: { type: 'string', default: '10000' },
      days: { type: 'string', default: '30' },
      seed: { type: 'string', default: '42' },
      json: { type: 'boolean', default: false },
    },
  });
  const events = (values.events ?? ['1000000']).map((e) => Number(e.replaceAll('_', '')));
  if (events.some((e) => !Number.isSafeInteger(e) || e < 1000)) throw new Error('--events must be whole numbers ≥ 1000');
  return { events, runs: Number(values.runs), songs: Number(values.songs), days: Number(values.days), seed: Number(values.seed), json: values.json };
}

if (import.meta.main) {
  const options = parseLoadArgs(process.argv.slice(2));
  const out = benchOutput(options.json);
  const reports = await postgresLoad(options, out);
  if (options.json) process.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
}
