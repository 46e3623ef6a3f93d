/**
 * `npm run bench`: the benchmarks in sequence on one throwaway PostgreSQL server. They print; they are not tests.
 *   --only naive|load|orchestrator  run one benchmark (default: naive and load; the orchestrator's only when named)
 *   --orchestrator='--noop-tasks 100 --no-airflow'  flags of bench/orchestrator.ts (its defaults run for hours today)
 *   --naive-runs 3        runs of each method in postgres-vs-naive
 *   --naive-events 50000  also compare on a simulated dataset of about this many events (repeatable; 0 = sample only)
 *   --naive-server durable|fast  the servers of postgres-vs-naive (repeatable; default both)
 *   --events 1000000      simulated events for postgres-load (repeatable: --events 1000000 --events 10000000)
 *   --runs 2              runs per size in postgres-load
 *   --songs 10000         catalog size of the simulated datasets
 *   --json                one JSON document on stdout instead of tables
 * The defaults finish in a few minutes (the first run also simulates and caches the 1M-event dataset).
 */
import { parseArgs } from 'node:util';
import { orchestratorBench, parseOrchestratorArgs } from './orchestrator.ts';
import { postgresLoad } from './postgres-load.ts';
import { parseServers, postgresVsNaive } from './postgres-vs-naive.ts';
import { benchOutput } from './support/bench-output.ts';
import { startBenchServer } from './support/bench-server.ts';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    orchestrator: { type: 'string', default: '' },
    'naive-runs': { type: 'string', default: '3' },
    'naive-events': { type: 'string', multiple: true },
    'naive-server': { type: 'string', multiple: true },
    events: { type: 'string', multiple: true },
    runs: { type: 'string', default: '2' },
    songs: { type: 'string', default: '10000' },
    days: { type: 'string', default: '30' },
    seed: { type: 'string', default: '42' },
    json: { type: 'boolean', default: false },
  },
});
if (values.only !== undefined && values.only !== 'naive' && values.only !== 'load' && values.only !== 'orchestrator') {
  throw new Error(`--only must be naive, load or orchestrator, not ${JSON.stringify(values.only)}`);
}
const events = (values.events ?? ['1000000']).map((e) => Number(e.replaceAll('_', '')));
if (events.some((e) => !Number.isSafeInteger(e) || e < 1000)) throw new Error('--events must be whole numbers ≥ 1000');

const out = benchOutput(values.json);
const server = await startBenchServer();
const report: Record<string, unknown> = { node: process.version, cpus: (await import('node:os')).availableParallelism() };
try {
  if (values.only === 'orchestrator') {
    const { json: _, ...options } = parseOrchestratorArgs(values.orchestrator.split(/\s+/).filter(Boolean));
    report.orchestrator = await orchestratorBench(options, out, server);
  }
  if (values.only === undefined || values.only === 'naive') {
    const naiveEvents = (values['naive-events'] ?? ['50000']).map((e) => Number(e.replaceAll('_', ''))).filter((e) => e > 0);
    report.postgresVsNaive = await postgresVsNaive({ runs: Number(values['naive-runs']), events: naiveEvents, songs: 1000, servers: parseServers(values['naive-server']) }, out, server);
  }
  if (values.only === undefined || values.only === 'load') {
    report.postgresLoad = await postgresLoad(
      { events, runs: Number(values.runs), songs: Number(values.songs), days: Number(values.days), seed: Number(values.seed) },
      out,
      server,
    );
  }
} finally {
  await server.stop();
}
if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
