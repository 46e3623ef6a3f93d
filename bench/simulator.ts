/**
 * Simulator throughput: `node bench/simulator.ts [--events N] [--songs S]`. Generates about N events (default
 * 1,000,000) into a temp folder, then measures in the same process the I/O floor: the same number of
 * pre-formatted, fixed lines written through the same kind of streams in the same chunk size. The ratio says
 * how much of the simulator's time is simulation and formatting rather than disk.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { simulate } from '../src/simulator/simulate.ts';

/** A user-month yields about 80 events (the sample's events per user in 30 days). */
const EVENTS_PER_USER_MONTH = 80;
const CHUNK = 1 << 20;

// Typical lines of the course files, for the baseline.
const JSON_LINE =
  '{"artist":"Des\'ree","auth":"Logged In","firstName":"Kaylee","gender":"F","itemInSession":1,"lastName":"Summers","length":246.30812,"level":"free","location":"Phoenix-Mesa-Scottsdale, AZ","method":"PUT","page":"NextSong","registration":1540344794796.0,"sessionId":139,"song":"You Gotta Be","status":200,"ts":1541106106796,"userAgent":"\\"Mozilla\\/5.0 (Windows NT 6.1; WOW64) AppleWebKit\\/537.36 (KHTML, like Gecko) Chrome\\/35.0.1916.153 Safari\\/537.36\\"","userId":"8"}\n';
const CSV_ROW = 'Des\'ree,Logged In,Kaylee,F,1,Summers,246.30812,free,"Phoenix-Mesa-Scottsdale, AZ",PUT,NextSong,1.54034E+12,139,You Gotta Be,200,1.54111E+12,8\r\n';

async function baseline(dir: string, events: number, days: number): Promise<{ seconds: number; bytes: number }> {
  await mkdir(dir, { recursive: true });
  const perDay = Math.ceil(events / days);
  const jsonChunk = JSON_LINE.repeat(Math.floor(CHUNK / JSON_LINE.length));
  const csvChunk = CSV_ROW.repeat(Math.floor(CHUNK / CSV_ROW.length));
  const began = performance.now();
  let bytes = 0;
  for (let day = 0, left = events; day < days && left > 0; day++) {
    const streams = [createWriteStream(join(dir, `${day}.json`), { highWaterMark: 8 * CHUNK }), createWriteStream(join(dir, `${day}.csv`), { highWaterMark: 8 * CHUNK })];
    let lines = Math.min(perDay, left);
    left -= lines;
    while (lines > 0) {
      const n = Math.min(lines, Math.floor(CHUNK / JSON_LINE.length));
      lines -= n;
      const writes = [
        streams[0]!.write(n * JSON_LINE.length === jsonChunk.length ? jsonChunk : JSON_LINE.repeat(n)),
        streams[1]!.write(CSV_ROW.repeat(n)),
      ];
      await Promise.all(writes.map((ok, i) => (ok ? undefined : once(streams[i]!, 'drain'))));
    }
    for (const s of streams) {
      s.end();
      await once(s, 'close');
      bytes += s.bytesWritten;
    }
  }
  return { seconds: (performance.now() - began) / 1000, bytes };
}

const { values } = parseArgs({ options: { events: { type: 'string', default: '1000000' }, songs: { type: 'string', default: '5000' } } });
const target = Number(values.events);
const songs = Number(values.songs);
if (!(target > 0) || !(songs > 0)) throw new Error('--events and --songs must be positive numbers');
const days = 30;
const users = Math.max(1, Math.round(target / EVENTS_PER_USER_MONTH));
const root = await mkdtemp(join(tmpdir(), 'sparkify-bench-'));
try {
  // The injected clock doubles as a probe: the simulator reads it at the start, between song files and events,
  // and at the end; CPU time (all threads: simulation, encoding and the kernel's share of the writes) is taken
  // with each reading, and the readings are matched to the phases by the wall times the summary reports.
  const probes: { wall: number; cpu: number }[] = [];
  const clock = () => {
    const wall = performance.now();
    const { user, system } = process.cpuUsage();
    probes.push({ wall, cpu: (user + system) / 1e6 });
    return wall;
  };
  const s = await simulate({ outDir: join(root, 'sim'), users, days, songs, seed: 1, clock });
  const first = probes[0]!;
  const last = probes[probes.length - 1]!;
  const split = probes.find((p) => Math.abs(p.wall - first.wall - s.songSeconds * 1000) < 1e-6) ?? first;
  const songCpu = split.cpu - first.cpu;
  const eventCpu = last.cpu - split.cpu;
  const baseCpu0 = process.cpuUsage();
  const base = await baseline(join(root, 'baseline'), s.events, days);
  const baseCpuUsage = process.cpuUsage(baseCpu0);
  const baseCpu = (baseCpuUsage.user + baseCpuUsage.system) / 1e6;
  const mb = (b: number) => b / 1e6;
  const simRate = s.events / s.eventSeconds;
  const baseRate = s.events / base.seconds;
  const rows: [string, string][] = [
    ['users × days', `${users.toLocaleString('en-US')} × ${days}`],
    ['events', s.events.toLocaleString('en-US')],
    ['song files', `${s.songFiles.toLocaleString('en-US')} in ${s.songSeconds.toFixed(2)} s (${Math.round(s.songFiles / s.songSeconds).toLocaleString('en-US')} files/s)`],
    ['simulator events', `${s.eventSeconds.toFixed(2)} s, ${Math.round(simRate).toLocaleString('en-US')} events/s, ${(mb(s.bytes) / s.eventSeconds).toFixed(0)} MB/s (${mb(s.bytes).toFixed(0)} MB)`],
    ['simulator CPU', `events ${eventCpu.toFixed(2)} s → ${Math.round(s.events / eventCpu).toLocaleString('en-US')} events per CPU-second; song files ${songCpu.toFixed(2)} s`],
    ['baseline (fixed lines)', `${base.seconds.toFixed(2)} s, ${Math.round(baseRate).toLocaleString('en-US')} events/s, ${(mb(base.bytes) / base.seconds).toFixed(0)} MB/s (${mb(base.bytes).toFixed(0)} MB), CPU ${baseCpu.toFixed(2)} s`],
    ['simulator / baseline', `${(simRate / baseRate).toFixed(2)}× the floor's events/s (time ${(s.eventSeconds / base.seconds).toFixed(2)}×, CPU ${(eventCpu / baseCpu).toFixed(2)}×)`],
    ['peak RSS', `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`],
  ];
  for (const [k, v] of rows) console.log(`${k.padEnd(24)} ${v}`);
} finally {
  await rm(root, { recursive: true, force: true });
}
