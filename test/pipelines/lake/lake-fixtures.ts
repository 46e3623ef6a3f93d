import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { silentProgress } from '../../../src/core/progress.ts';
import { MemoryQuarantine } from '../../../src/datasets/quarantine.ts';
import { openLakeEngine } from '../../../src/engines/open-lake-engine.ts';
import { applyLakeBuild, type LakeBuildDeps, type LakeBuildResult } from '../../../src/pipelines/lake/apply-lake-build.ts';
import { planLakeBuild } from '../../../src/pipelines/lake/lake-plan.ts';
import { registerLake } from '../../../src/pipelines/lake/register-lake.ts';
import { parseLocation, type Location } from '../../../src/storage/location.ts';
import type { ObjectStore } from '../../../src/storage/object-store.ts';
import { openStore } from '../../../src/storage/open-store.ts';
import type { S3Config } from '../../../src/storage/s3/s3-config.ts';

let runs = 0;

export interface Build {
  result: LakeBuildResult;
  quarantine: MemoryQuarantine;
}

/**
 * One lake build, as `sparkify lake build` runs it: on DuckDB, or on Spark when `sparkRemote` is given; `wrap` may
 * replace the stores (fault injection).
 */
export async function build(input: string, output: string, options: { since?: string; until?: string; s3?: S3Config;
  wrap?: (store: ObjectStore) => ObjectStore; lock?: LakeBuildDeps['lock']; sparkRemote?: string } = {}): Promise<Build> {
  const kind = options.sparkRemote === undefined ? 'duckdb' : 'spark';
  const plan = planLakeBuild({ engine: kind, input, output, ...(options.since ? { since: options.since, until: options.until as string } : {}) });
  const engine = await openLakeEngine(kind, options.sparkRemote === undefined ? { threads: 2 } : { sparkRemote: options.sparkRemote });
  const quarantine = new MemoryQuarantine();
  try {
    const result = await applyLakeBuild(plan, engine, {
      open: async (l) => (options.wrap ?? ((s) => s))(await openStore(l, options.s3 ?? { region: 'us-east-1' })),
      runId: `run${String(++runs).padStart(3, '0')}-${process.pid}`,
      quarantine,
      progress: silentProgress,
      ...(options.lock ? { lock: options.lock } : {}),
    });
    return { result, quarantine };
  } finally {
    await engine.close();
  }
}

export interface TableSum {
  rows: number;
  /** SHA-256 of the table's rows as sorted JSON lines: equal content, equal sum, whatever the files. */
  sha: string;
  /** The same per partition (Hive path, from the partition columns' values). */
  partitions: Record<string, { rows: number; sha: string }>;
}

/** Every lake table's content, read through its manifest (what `lake query` sees). */
export async function lakeSums(output: string, s3?: S3Config): Promise<{ version: string; tables: Record<string, TableSum> }> {
  const rows = await lakeQuery(output, async (query, tables) => {
    const out: Record<string, Record<string, unknown>[]> = {};
    for (const t of tables) out[t] = await query(`SELECT * FROM ${t}`);
    return out;
  }, s3);
  const tables: Record<string, TableSum> = {};
  const partitionBy: Record<string, string[]> = { songs: ['year', 'artist_id'], time: ['year', 'month'], songplays: ['year', 'month'] };
  for (const [name, list] of Object.entries(rows.value)) {
    const lines = list.map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
    const groups = new Map<string, string[]>();
    list.forEach((r, i) => {
      const path = (partitionBy[name] ?? []).map((c) => `${c}=${r[c] ?? '__HIVE_DEFAULT_PARTITION__'}`).join('/');
      groups.set(path, [...(groups.get(path) ?? []), lines[i] as string]);
    });
    tables[name] = { rows: list.length, sha: sha(lines), partitions: Object.fromEntries([...groups].map(([p, l]) => [p, { rows: l.length, sha: sha(l) }])) };
  }
  return { version: rows.version, tables };
}

/** Runs `fn` with SQL over the lake at `output` (and the raw logs under `input`), as `lake query` registers them. */
export async function lakeQuery<T>(output: string | undefined, fn: (query: (sql: string) => Promise<Record<string, unknown>[]>, tables: string[]) => Promise<T>,
  s3?: S3Config, input?: string): Promise<{ version: string; value: T }> {
  const engine = await openLakeEngine('duckdb', { threads: 2 });
  const spool = await mkdtemp(join(tmpdir(), 'sparkify-lake-test-'));
  const stores: ObjectStore[] = [];
  const open = async (l: Location) => {
    const s = await openStore(l, s3 ?? { region: 'us-east-1' });
    stores.push(s);
    return [s, l] as [ObjectStore, Location];
  };
  try {
    const lake = output === undefined ? undefined : await open(parseLocation(output));
    const logs = input === undefined ? undefined : await open(parseLocation(`${input.replace(/\/$/, '')}/log_data`));
    const registered = await registerLake(engine, { ...(lake ? { lake } : {}), ...(logs ? { logs } : {}) }, spool);
    const value = await fn((sql) => engine.query(sql), registered.tables.map((t) => t.name));
    return { version: registered.version ?? '', value };
  } finally {
    for (const s of stores) await s.close();
    await engine.close();
    await rm(spool, { recursive: true, force: true });
  }
}

function sha(lines: string[]): string {
  return createHash('sha256').update([...lines].sort().join('\n')).digest('hex');
}

/** Every file under a local lake, '/'-separated, sorted. */
export function lakeFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else out.push(relative(root, path).split(sep).join('/'));
    }
  };
  walk(root);
  return out.sort();
}

/** The star schema's rules computed here, independently of the SQL: rows each table must have. */
export function expectedCounts(songFiles: string[], logFiles: string[], interval?: { since: number; until: number }) {
  const songs: { song_id: string; title: string; artist_id: string; artist_name: string; duration: number }[] = [];
  for (const f of songFiles) {
    const text = readFileSync(f, 'utf8');
    // A file may hold several concatenated objects.
    for (const piece of text.replace(/}\s*{/g, '}\n{').split('\n').filter((l) => l.trim() !== '')) songs.push(JSON.parse(piece));
  }
  const catalog = new Set(songs.map((s) => `${s.title}\u0000${s.artist_name}\u0000${s.duration}`));
  const plays = new Map<string, { matched: boolean }>();
  const users = new Set<number>();
  const times = new Set<number>();
  let events = 0;
  for (const f of logFiles) {
    for (const line of readFileSync(f, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      let e: Record<string, unknown>;
      try {
        e = JSON.parse(line);
      } catch {
        continue;
      }
      events++;
      const user = Number(e.userId);
      if (e.page !== 'NextSong' || !(e.userId !== '' && Number.isInteger(user) && user > 0) || e.song == null || e.artist == null) continue;
      const ts = e.ts as number;
      if (interval && (ts < interval.since || ts >= interval.until)) continue;
      const key = `${e.sessionId}:${e.itemInSession}:${user}`;
      if (!plays.has(key)) plays.set(key, { matched: catalog.has(`${e.song}\u0000${e.artist}\u0000${e.length}`) });
      users.add(user);
      times.add(ts);
    }
  }
  return {
    events,
    songs: new Set(songs.map((s) => s.song_id)).size,
    artists: new Set(songs.map((s) => s.artist_id)).size,
    users: users.size,
    time: times.size,
    songplays: plays.size,
    matched: [...plays.values()].filter((p) => p.matched).length,
  };
}

/** Every file under `dir` ending with `ext`, sorted. */
export function filesUnder(dir: string, ext: string): string[] {
  return lakeFiles(dir).filter((f) => f.endsWith(ext)).map((f) => join(dir, f));
}
