/**
 * One measured run in a process of its own, so that its peak RSS is its own: `loader` runs the platform's load
 * (read JSON logs → plays → windows → executeConcurrent with single-partition batches); `baseline` writes the same
 * rows with the bare driver (prepared INSERTs through executeConcurrent, rows built before the clock starts);
 * `sweep` times the bare driver at several concurrency levels on a slice of the rows.
 * Input: one JSON argument; output: one JSON line on stdout.
 */
import cassandra from 'cassandra-driver';
import { applyCassandraLoad } from '../../src/pipelines/cassandra-model/apply-cassandra-load.ts';
import { planCassandraLoad } from '../../src/pipelines/cassandra-model/cassandra-plan.ts';
import { courseTables, queryTable } from '../../src/pipelines/cassandra-model/query-tables.ts';
import { readPlays } from '../../src/pipelines/cassandra-model/read-plays.ts';
import { defaultBatchLimits } from '../../src/pipelines/cassandra-model/write-statements.ts';
import { listFiles } from '../../src/datasets/list-files.ts';
import { MemoryQuarantine } from '../../src/datasets/quarantine.ts';
import { emptyCounts } from '../../src/datasets/source-counts.ts';
import { compileCassandraConfig } from '../../src/engines/cassandra/cassandra-config.ts';
import { openCqlEngine } from '../../src/engines/open-cql-engine.ts';
import { LatencyHistogram } from './latency-histogram.ts';

export interface ChildRequest {
  mode: 'loader' | 'baseline' | 'sweep';
  contactPoint: string;
  localDc: string;
  keyspace: string;
  logs: string;
  concurrency: number[];
  sweepRows?: number;
  /** Loader only: rows per single-partition batch (1: no batches, every row its own INSERT). */
  batchRows?: number;
}

export interface RunFigures {
  concurrency: number;
  rows: number;
  requests: number;
  seconds: number;
  rowsPerSecond: number;
  p50ms: number;
  p99ms: number;
  failedRequests: number;
}

export interface ChildResult {
  runs: RunFigures[];
  plays: number;
  peakRssMB: number;
  cpuSeconds: number;
}

// The driver checks `instanceof RequestTracker`, a class its typings call an interface.
const RequestTrackerBase = (cassandra.tracker as unknown as { RequestTracker: new () => cassandra.tracker.RequestTracker }).RequestTracker;
const ms = (hrtime: number[]) => (hrtime[0] ?? 0) * 1e3 + (hrtime[1] ?? 0) / 1e6;

const request = JSON.parse(process.argv[2] ?? '{}') as ChildRequest;
const runs: RunFigures[] = [];
let plays = 0;

if (request.mode === 'loader') {
  const concurrency = request.concurrency[0] ?? 64;
  const config = compileCassandraConfig({ contactPoints: request.contactPoint, localDc: request.localDc, keyspace: request.keyspace,
    concurrency, retries: 10, timeoutMs: 30_000 });
  const latency = new LatencyHistogram();
  const engine = await openCqlEngine(config, { request: (ms, failed) => latency.record(ms, failed) });
  try {
    const plan = await planCassandraLoad({ source: { kind: 'logs', root: request.logs }, config, rejectsFile: '/dev/null', tables: courseTables,
      ...(request.batchRows ? { batch: { ...defaultBatchLimits, maxRows: request.batchRows } } : {}) });
    const started = performance.now();
    const result = await applyCassandraLoad(plan, engine, new MemoryQuarantine());
    const seconds = (performance.now() - started) / 1000;
    const rows = result.tables.reduce((n, t) => n + t.rows, 0);
    plays = result.source.loaded;
    runs.push(figures(concurrency, rows, seconds, latency));
  } finally {
    await engine.close();
  }
} else {
  // The same rows the loader writes, built before any clock starts: table by table, one prepared INSERT each.
  const files = await listFiles(request.logs, '.json');
  const tables = courseTables.map(queryTable);
  const rows = tables.map(() => [] as unknown[][]);
  for await (const { record } of readPlays({ kind: 'logs', root: request.logs, files }, new MemoryQuarantine(), emptyCounts('logs'))) {
    plays++;
    tables.forEach((t, i) => rows[i]?.push(t.values(record)));
  }
  // One histogram per concurrency level: the tracker records into whichever run is current.
  let latency = new LatencyHistogram();
  const client = new cassandra.Client({
    contactPoints: [request.contactPoint], localDataCenter: request.localDc,
    queryOptions: { prepare: true, isIdempotent: true, consistency: cassandra.types.consistencies.localQuorum },
    socketOptions: { readTimeout: 30_000 },
    requestTracker: new (class extends RequestTrackerBase {
      override onSuccess(...a: Parameters<cassandra.tracker.RequestTracker['onSuccess']>) {
        latency.record(ms(a[6]));
      }

      override onError(...a: Parameters<cassandra.tracker.RequestTracker['onError']>) {
        latency.record(ms(a[6]), true);
      }
    })(),
  });
  await client.connect();
  try {
    await client.execute(`CREATE KEYSPACE IF NOT EXISTS ${request.keyspace} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`);
    await client.execute(`USE ${request.keyspace}`);
    for (const t of tables) await client.execute(t.ddl);
    for (const concurrency of request.concurrency) {
      latency = new LatencyHistogram();
      const started = performance.now();
      let written = 0;
      for (const [i, t] of tables.entries()) {
        const all = rows[i] ?? [];
        const slice = request.mode === 'sweep' ? all.slice(0, Math.ceil((request.sweepRows ?? 100_000) / tables.length)) : all;
        const result = await cassandra.concurrent.executeConcurrent(client, t.insert, slice, { concurrencyLevel: concurrency, raiseOnFirstError: true });
        written += result.totalExecuted;
      }
      runs.push(figures(concurrency, written, (performance.now() - started) / 1000, latency));
    }
  } finally {
    await client.shutdown();
  }
}

function figures(concurrency: number, rows: number, seconds: number, h: LatencyHistogram): RunFigures {
  return { concurrency, rows, requests: h.count, seconds, rowsPerSecond: rows / seconds, p50ms: h.percentile(0.5), p99ms: h.percentile(0.99), failedRequests: h.failed };
}

const usage = process.resourceUsage();
const result: ChildResult = { runs, plays, peakRssMB: usage.maxRSS / 1024, cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6 };
process.stdout.write(`${JSON.stringify(result)}\n`);
