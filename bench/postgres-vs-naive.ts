/**
 * The course sample into a real PostgreSQL: the platform's load (COPY into staging, set-based upserts, one
 * transaction) against the classic row-at-a-time course solution, on the same server in the same run, each in a
 * fresh database. `--events N` adds a simulated dataset of about N events (cached like postgres-load's), to show how
 * the gap grows with the input: the star load's fixed costs (DDL, a dozen statements, the commit) weigh on 8,000
 * events, the naive load's cost is per row.
 * Both run on two servers: a 'durable' one (PostgreSQL's default durability, as the course's database has), where
 * every autocommit INSERT of the naive load waits for its WAL flush, and the 'fast' benchmark tuning (fsync off),
 * which takes that cost away and leaves only the per-statement round trips and planning.
 * Usage: node bench/postgres-vs-naive.ts [--runs 3] [--events 50000] [--server durable --server fast] [--json]
 */
import { parseArgs } from 'node:util';
import { createProgress } from '../src/core/progress.ts';
import { MemoryQuarantine } from '../src/datasets/quarantine.ts';
import { PostgresEngine } from '../src/engines/postgres/postgres-engine.ts';
import { applyStarLoad } from '../src/pipelines/star-load/apply-star-load.ts';
import { planStarLoad, type StarLoadPlan } from '../src/pipelines/star-load/star-plan.ts';
import { countStarTables } from '../src/pipelines/star-load/star-queries.ts';
import { benchOutput, median, timed, type BenchOutput } from './support/bench-output.ts';
import { startBenchServer, type BenchServer, type ServerDurability } from './support/bench-server.ts';
import { serverCpuSecondsSettled } from './support/server-cpu.ts';
import { sampleDirs } from './support/sample-data.ts';
import { simDataset } from './support/sim-dataset.ts';
import { naiveLoad } from './naive/naive-load.ts';

export interface VersusNaiveOptions {
  runs: number;
  /** Simulated datasets to compare on besides the course sample (about this many events each). */
  events?: number[];
  songs?: number;
  /** The servers to compare on (default both, durable first). */
  servers?: ServerDurability[];
}

export interface VersusNaiveReport {
  dataset: string;
  server: ServerDurability;
  events: number;
  songplays: number;
  /** What the star load runs: its COPYs and SQL files. */
  starStatements: string;
  runs: { method: 'star' | 'naive'; run: number; seconds: number; serverCpuSeconds: number | null; statements?: number }[];
  star: { seconds: number; eventsPerSecond: number; serverCpuSeconds: number | null };
  naive: { seconds: number; eventsPerSecond: number; serverCpuSeconds: number | null; statements: number };
  speedUp: number;
  tables: { star: Record<string, number>; naive: Record<string, number> };
}

/** `shared`, a 'fast' server, is used for the fast comparisons instead of starting another. */
export async function postgresVsNaive(options: VersusNaiveOptions, out: BenchOutput, shared?: BenchServer): Promise<VersusNaiveReport[]> {
  const datasets: { name: string; dirs: { songs: string; logs: string } }[] = [{ name: 'course sample', dirs: sampleDirs() }];
  for (const events of options.events ?? []) {
    const data = await simDataset({ events, songs: options.songs ?? 1000, days: 30, seed: 42 }, createProgress(process.stderr, !out.json));
    datasets.push({ name: `simulated, ${data.summary.songs.toLocaleString('en-US')} songs`, dirs: data });
  }
  const reports: VersusNaiveReport[] = [];
  for (const durability of options.servers ?? ['durable', 'fast']) {
    const server = durability === 'fast' && shared ? shared : await startBenchServer(durability);
    try {
      for (const { name, dirs } of datasets) reports.push(await compare(name, durability, dirs, options.runs, out, server));
    } finally {
      if (server !== shared) await server.stop();
    }
  }
  print(reports, out);
  return reports;
}

async function compare(dataset: string, durability: ServerDurability, dirs: { songs: string; logs: string }, runCount: number, out: BenchOutput, server: BenchServer): Promise<VersusNaiveReport> {
  const plan = await planStarLoad({ songsDir: dirs.songs, logsDir: dirs.logs, target: 'bench', rejectsFile: '/dev/null' });
  out.note(`postgres-vs-naive, ${dataset}, ${durability} server: ${plan.songs.files.length} song files, ${plan.logs.files.length} log files, ${runCount} runs each`);
  const runs: VersusNaiveReport['runs'] = [];
  let events = 0;
  let songplays = 0;
  let statements = 0;
  const tables: VersusNaiveReport['tables'] = { star: {}, naive: {} };
  for (let run = 1; run <= runCount; run++) {
    // Alternating which goes first keeps a warm-up or cache effect from favouring one side.
    const order = run % 2 === 1 ? (['star', 'naive'] as const) : (['naive', 'star'] as const);
    for (const method of order) {
      const db = await server.freshDatabase(method);
      const engine = new PostgresEngine({ connectionString: db.url });
      const cpuBefore = await serverCpuSecondsSettled(server.server.dataDir);
      const serverCpu = async () => {
        const after = await serverCpuSecondsSettled(server.server.dataDir);
        return cpuBefore === undefined || after === undefined ? null : after - cpuBefore;
      };
      try {
        if (method === 'star') {
          const { seconds, value } = await timed(() => applyStarLoad(plan, engine, new MemoryQuarantine()));
          events = value.sources[1]?.read ?? 0;
          runs.push({ method, run, seconds, serverCpuSeconds: await serverCpu() });
        } else {
          const { seconds, value } = await timed(() => naiveLoad(plan, db.url));
          songplays = value.songplays;
          statements = value.statements;
          runs.push({ method, run, seconds, serverCpuSeconds: await serverCpu(), statements });
        }
        tables[method] = Object.fromEntries((await countStarTables(engine)).map((t) => [t.table, t.rows]));
      } finally {
        await engine.close();
        await db.drop();
      }
      out.note(`run ${run} ${method}: ${runs.at(-1)?.seconds.toFixed(3)} s`);
    }
  }
  const secondsOf = (method: 'star' | 'naive') => median(runs.filter((r) => r.method === method).map((r) => r.seconds));
  const cpuOf = (method: 'star' | 'naive') => {
    const cpu = runs.filter((r) => r.method === method).map((r) => r.serverCpuSeconds);
    return cpu.every((c) => c !== null) ? median(cpu as number[]) : null;
  };
  const star = { seconds: secondsOf('star'), eventsPerSecond: events / secondsOf('star'), serverCpuSeconds: cpuOf('star') };
  const naive = { seconds: secondsOf('naive'), eventsPerSecond: events / secondsOf('naive'), serverCpuSeconds: cpuOf('naive'), statements };
  const copies = plan.steps.filter((s) => s.kind === 'copy').length;
  const files = plan.steps.length - copies;
  return { dataset, server: durability, events, songplays, runs, star, naive, speedUp: naive.seconds / star.seconds, tables, starStatements: `COPY ×${copies} + ${files} files` };
}

function print(reports: VersusNaiveReport[], out: BenchOutput): void {
  const cpu = (seconds: number | null) => (seconds === null ? 'n/a' : seconds.toFixed(2));
  out.table(`Star load vs the naive course ETL into PostgreSQL (median of ${(reports[0]?.runs.length ?? 0) / 2} runs each)`, reports.flatMap((r) => [
    { dataset: r.dataset, server: r.server, events: r.events, plays: r.songplays, method: 'star load (COPY + set-based SQL)', seconds: r.star.seconds.toFixed(3), 'events/s': Math.round(r.star.eventsPerSecond), 'server CPU s': cpu(r.star.serverCpuSeconds), statements: r.starStatements, 'speed-up': `${r.speedUp.toFixed(1)}×` },
    { dataset: '', server: '', events: null, plays: null, method: 'naive (row at a time, course etl.py)', seconds: r.naive.seconds.toFixed(3), 'events/s': Math.round(r.naive.eventsPerSecond), 'server CPU s': cpu(r.naive.serverCpuSeconds), statements: r.naive.statements.toLocaleString('en-US'), 'speed-up': '1.0×' },
  ]));
  for (const r of reports) {
    const same = Object.keys(r.tables.star).every((t) => r.tables.star[t] === r.tables.naive[t]);
    out.table(`Rows per table, ${r.dataset}, ${r.server} server (the two loads ${same ? 'agree' : 'DISAGREE'})`, Object.keys(r.tables.star).map((table) => ({ table, star: r.tables.star[table], naive: r.tables.naive[table] })));
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '3' },
      events: { type: 'string', multiple: true },
      songs: { type: 'string', default: '1000' },
      server: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
    },
  });
  const out = benchOutput(values.json);
  const events = (values.events ?? []).map((e) => Number(e.replaceAll('_', '')));
  const servers = parseServers(values.server);
  const reports = await postgresVsNaive({ runs: Number(values.runs), events, songs: Number(values.songs), servers }, out);
  if (values.json) process.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
}

export function parseServers(values: string[] | undefined): ServerDurability[] | undefined {
  for (const v of values ?? []) if (v !== 'durable' && v !== 'fast') throw new Error(`--server must be durable or fast, not ${JSON.stringify(v)}`);
  return values as ServerDurability[] | undefined;
}
