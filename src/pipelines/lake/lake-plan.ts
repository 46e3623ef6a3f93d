import { join } from 'node:path';
import { configError } from '../../core/errors.ts';
import { targetSqlReader } from '../../core/target-sql.ts';
import type { LakeColumn, LakeEngineKind } from '../../engines/lake-engine.ts';
import { logEventFields, songFields } from '../../datasets/schemas.ts';
import { childLocation, formatLocation, parseLocation } from '../../storage/location.ts';
import { lakeTables, recordColumns, type LakeTableSpec } from './lake-tables.ts';

export interface LakeBuildRequest {
  engine: LakeEngineKind;
  /** Where song_data/ and log_data/ live (a directory or s3://bucket/prefix). */
  input: string;
  /** The lake's root (a directory or s3://bucket/prefix). */
  output: string;
  /** Only plays from `since` (inclusive) to `until` (exclusive), widened to whole UTC months: ISO dates or times. */
  since?: string;
  until?: string;
}

/** The plan: plain data, printed by --dry-run, followed by the apply without deciding again. */
export interface LakePlan {
  engine: LakeEngineKind;
  songs: string;
  logs: string;
  output: string;
  /** Absent: a full build (every table, every partition replaced). */
  interval?: { since: string; until: string; months: string[] };
  /** The record files as the engine loads them: validated by the datasets module's schemas first. */
  staging: { name: 'staging_songs' | 'staging_events'; source: 'song_data' | 'log_data'; columns: LakeColumn[] }[];
  /** Tables of the job's session, in order: each the rows of its SELECT. */
  steps: { name: string; sql: string }[];
  /** The Parquet tables written by this run (a run over an interval writes only the month-partitioned ones). */
  tables: (LakeTableSpec & { sql: string; replaces: string })[];
}

const sqlFor = targetSqlReader<LakeEngineKind, string>(join(import.meta.dirname, 'sql'));

export function planLakeBuild(request: LakeBuildRequest): LakePlan {
  const input = parseLocation(request.input);
  const interval = compileInterval(request.since, request.until);
  const condition = interval ? `ts >= ${Date.parse(interval.since)} AND ts < ${Date.parse(interval.until)}` : 'TRUE';
  const sql = (name: string) => sqlFor(request.engine, name).replaceAll('{{interval}}', condition);
  const tables = lakeTables.filter((t) => interval === undefined || t.scope === 'month').map((t) => ({
    ...t,
    sql: sql(t.name),
    replaces: interval === undefined ? 'the whole table' : `partitions ${interval.months.map((m) => monthPartition(m)).join(', ')}`,
  }));
  return {
    engine: request.engine,
    songs: formatLocation(childLocation(input, 'song_data')),
    logs: formatLocation(childLocation(input, 'log_data')),
    output: formatLocation(parseLocation(request.output)),
    ...(interval ? { interval } : {}),
    staging: [
      { name: 'staging_songs', source: 'song_data', columns: recordColumns(songFields) },
      { name: 'staging_events', source: 'log_data', columns: recordColumns(logEventFields) },
    ],
    steps: [
      { name: 'lake_plays', sql: sql('10-plays') },
      { name: 'lake_catalog_songs', sql: sql('20-catalog-songs') },
      { name: 'lake_song_catalog', sql: sql('30-song-catalog') },
    ],
    tables,
  };
}

/** `2018-11` as its Hive partition path. */
export function monthPartition(month: string): string {
  const [year, m] = month.split('-');
  return `year=${Number(year)}/month=${Number(m)}`;
}

/** --since/--until: both or neither; widened to whole UTC months, so every month partition written is complete. */
function compileInterval(since: string | undefined, until: string | undefined): LakePlan['interval'] {
  if (since === undefined && until === undefined) return undefined;
  if (since === undefined || until === undefined) throw configError('give both --since and --until, or neither', { field: since === undefined ? 'since' : 'until' });
  const start = instant(since, 'since');
  const end = instant(until, 'until');
  if (end <= start) throw configError(`--until (${until}) must be after --since (${since})`, { field: 'until' });
  const first = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), 1));
  const last = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth(), 1));
  // An end exactly at a month's start ends the month before it.
  const stop = last.getTime() === end.getTime() ? last : new Date(Date.UTC(last.getUTCFullYear(), last.getUTCMonth() + 1, 1));
  const months: string[] = [];
  for (let d = first; d < stop; d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1))) {
    months.push(`${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`);
  }
  return { since: first.toISOString(), until: stop.toISOString(), months };
}

function instant(text: string, field: string): Date {
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(date.getTime())) throw configError(`--${field} ${JSON.stringify(text)} is not a date (YYYY-MM-DD or an ISO time)`, { field });
  return date;
}

/** The plan as text, for --dry-run. */
export function formatLakePlan(plan: LakePlan): string {
  const lines = [
    `Lake build on ${plan.engine}`,
    `  read:   ${plan.songs} (songs), ${plan.logs} (events), validated by the datasets schemas; bad records quarantined`,
    `  write:  ${plan.output}`,
    plan.interval
      ? `  scope:  plays from ${plan.interval.since} to ${plan.interval.until} (whole months: ${plan.interval.months.join(', ')}); songs, artists and users untouched`
      : '  scope:  everything (a full build: every table replaced)',
    '',
    'Session tables',
    ...plan.steps.flatMap((s) => [`-- ${s.name}`, s.sql, '']),
    'Parquet tables',
    ...plan.tables.flatMap((t) => [
      `-- ${t.name}: ${t.partitionBy.length > 0 ? `partitioned by ${t.partitionBy.join(', ')}` : 'one file'}; replaces ${t.replaces}`,
      t.sql, '']),
    'Publish',
    '  1. files under <table>/<partition>/ named part-<run>-<n>.parquet, beside the current ones (no reader reads them yet)',
    '  2. _manifest.json written in one PUT: the commit (it names every current file)',
    '  3. _SUCCESS written; then the files the manifest no longer names are deleted',
    '',
  ];
  return lines.join('\n');
}
