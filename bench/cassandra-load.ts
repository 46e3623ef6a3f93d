/**
 * About 1M simulated events into the three course query tables on a real single-node Cassandra 5, against a
 * baseline in the same run: the bare driver writing the same rows (prepared INSERTs through executeConcurrent) at
 * its best concurrency, found by a sweep first. Reports rows/s, p50/p99 request latency, peak RSS, and the ratio.
 * Usage: node bench/cassandra-load.ts [--events 1000000] [--levels 32,64,128,256] [--sweep-rows 120000]
 *        [--contact-point 127.0.0.1:9042 --local-dc datacenter1] [--json]
 * The dataset is generated once by the simulator and cached under ~/.cache/sparkify/bench-sim/.
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import cassandra from 'cassandra-driver';
import { startCassandra, type CassandraServer } from '../scripts/servers/cassandra-server.ts';
import { createProgress } from '../src/core/progress.ts';
import { formatTable } from '../src/core/table.ts';
import type { ChildRequest, ChildResult, RunFigures } from './cassandra/load-child.ts';
import { simEvents } from './cassandra/sim-events.ts';

export const target = { ratio: 0.8 } as const;

const { values: args } = parseArgs({ options: {
  events: { type: 'string', default: '1000000' },
  seed: { type: 'string', default: '42' },
  levels: { type: 'string', default: '32,64,128,256' },
  'sweep-rows': { type: 'string', default: '120000' },
  'contact-point': { type: 'string' },
  'local-dc': { type: 'string', default: 'datacenter1' },
  json: { type: 'boolean', default: false },
} });

const note = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const data = await simEvents(Number(args.events), Number(args.seed), createProgress(process.stderr, !args.json));
note(`${data.generated ? 'generated' : 'reusing'} ${data.dir}: ${data.summary.events.toLocaleString('en-US')} events, ` +
  `${data.summary.nextSongEvents.toLocaleString('en-US')} NextSong`);

let server: CassandraServer | undefined;
const contactPoint = args['contact-point'] ?? (server = await startCassandra()).contactPoint;
if (server) note(`Cassandra ${server.version} started at ${contactPoint} in ${server.startupSeconds.toFixed(1)} s (1 GiB heap)`);
const localDc = args['local-dc'];

try {
  const levels = args.levels.split(',').map(Number);
  const sweep = await child({ mode: 'sweep', keyspace: 'bench_sweep', concurrency: levels, sweepRows: Number(args['sweep-rows']) });
  const best = [...sweep.runs].sort((a, b) => b.rowsPerSecond - a.rowsPerSecond)[0] as RunFigures;
  note(`bare driver sweep: ${sweep.runs.map((r) => `${r.concurrency}: ${Math.round(r.rowsPerSecond)} rows/s`).join(', ')} → ${best.concurrency}`);
  const baseline = await child({ mode: 'baseline', keyspace: 'bench_baseline', concurrency: [best.concurrency] });
  note(`baseline: ${Math.round(baseline.runs[0]?.rowsPerSecond ?? 0)} rows/s`);
  const loader = await child({ mode: 'loader', keyspace: 'bench_loader', concurrency: [best.concurrency] });
  note(`loader: ${Math.round(loader.runs[0]?.rowsPerSecond ?? 0)} rows/s`);
  // The same load with batching off: what reading, validating and grouping cost against the bare driver alone.
  const unbatched = await child({ mode: 'loader', keyspace: 'bench_unbatched', concurrency: [best.concurrency], batchRows: 1 });
  note(`loader without batches: ${Math.round(unbatched.runs[0]?.rowsPerSecond ?? 0)} rows/s`);
  const l = loader.runs[0] as RunFigures;
  const b = baseline.runs[0] as RunFigures;
  const u = unbatched.runs[0] as RunFigures;
  const ratio = l.rowsPerSecond / b.rowsPerSecond;
  const report = {
    events: data.summary.events, plays: loader.plays, rows: l.rows, loadAverage: loadavg().map((x) => Number(x.toFixed(2))),
    cassandraStartupSeconds: server?.startupSeconds ?? null, sweep: sweep.runs,
    loader: { ...l, peakRssMB: loader.peakRssMB, cpuSeconds: loader.cpuSeconds },
    baseline: { ...b, peakRssMB: baseline.peakRssMB, cpuSeconds: baseline.cpuSeconds },
    loaderWithoutBatches: { ...u, peakRssMB: unbatched.peakRssMB, cpuSeconds: unbatched.cpuSeconds },
    ratio, ratioWithoutBatches: u.rowsPerSecond / b.rowsPerSecond, target: target.ratio, meetsTarget: ratio >= target.ratio,
  };
  if (args.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else {
    const row = (name: string, r: RunFigures, rss: number, cpu: number) => ({
      run: name, concurrency: r.concurrency, rows: r.rows, requests: r.requests, seconds: Number(r.seconds.toFixed(1)),
      'rows/s': Math.round(r.rowsPerSecond), 'p50 ms': Number(r.p50ms.toFixed(2)), 'p99 ms': Number(r.p99ms.toFixed(2)),
      'peak RSS MB': Math.round(rss), 'CPU s': Number(cpu.toFixed(1)),
    });
    process.stdout.write(`\n${report.events.toLocaleString('en-US')} simulated events → ${report.plays.toLocaleString('en-US')} plays → ` +
      `${report.rows.toLocaleString('en-US')} rows in session_songs, user_session_songs, song_listeners\n`);
    process.stdout.write(formatTable([row('loader (sparkify)', l, loader.peakRssMB, loader.cpuSeconds),
      row('bare driver (baseline)', b, baseline.peakRssMB, baseline.cpuSeconds),
      row('loader, batches off', u, unbatched.peakRssMB, unbatched.cpuSeconds)]));
    process.stdout.write(`ratio loader / bare driver: ${ratio.toFixed(2)}× (target ≥ ${target.ratio}×: ${report.meetsTarget ? 'met' : 'NOT met'}); ` +
      `with batches off: ${report.ratioWithoutBatches.toFixed(2)}×; load average ${report.loadAverage.join(' ')}\n`);
    process.stdout.write('Latency is per request: an INSERT, or (loader) a single-partition batch of up to 16 rows. ' +
      'The baseline\'s rows are built before its clock starts; the loader\'s clock includes reading and validating the JSON logs.\n');
  }
} finally {
  await server?.stop();
}

/** A run in its own process (so its peak RSS is its own), in a fresh keyspace dropped afterwards. */
async function child(request: Omit<ChildRequest, 'contactPoint' | 'localDc' | 'logs'>): Promise<ChildResult> {
  const full: ChildRequest = { ...request, contactPoint, localDc, logs: data.logs };
  await dropKeyspace(request.keyspace);
  try {
    return await new Promise<ChildResult>((resolve, reject) => {
      const proc = spawn(process.execPath, [join(import.meta.dirname, 'cassandra', 'load-child.ts'), JSON.stringify(full)],
        { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      proc.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      proc.once('error', reject);
      proc.once('close', (code) => (code === 0 ? resolve(JSON.parse(out) as ChildResult) : reject(new Error(`${request.mode} run exited with ${code}`))));
    });
  } finally {
    await dropKeyspace(request.keyspace);
  }
}

async function dropKeyspace(keyspace: string): Promise<void> {
  const client = new cassandra.Client({ contactPoints: [contactPoint], localDataCenter: localDc });
  try {
    await client.connect();
    await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
  } finally {
    await client.shutdown();
  }
}
