import { configError } from '../../core/errors.ts';
import { formatLocation, parseLocation } from '../../storage/location.ts';
import type { JsonFormat } from './copy/json-format.ts';
import { loadErrorsDdl, stagingTableDdl } from './staging-ddl.ts';
import { loadTableName, stagingEvents, stagingSongs, type StagingTable } from './staging-tables.ts';
import type { Target } from './targets.ts';
import { transformSteps, warehouseSql, type WarehouseSqlName } from './warehouse-sql.ts';

export interface SqlStep {
  kind: 'sql';
  name: string;
  sql: string;
}

/** One COPY: on Redshift a statement; on DuckDB and Postgres sparkify runs it (see copy/stage-table.ts). */
export interface CopyStep {
  kind: 'copy';
  name: string;
  table: StagingTable['name'];
  into: string;
  from: string;
  format: JsonFormat;
  timeFormat?: 'epochmillisecs';
  maxErrors: number;
  gzip: boolean;
  sql: string;
  /** How sparkify runs it (DuckDB and Postgres; not on Redshift, whose cluster runs its own COPY). */
  path?: CopyPath;
}

/**
 * The one place a warehouse COPY chooses between its reference path and its fast paths (both stage the same rows and
 * the same rejects), from the switch and the engine the target names; the apply follows it.
 */
export interface CopyPath {
  /** The engine reads the objects itself first (DuckDB's read_json, under 1,000 objects), kept only if every record is plain. */
  direct: boolean;
  /**
   * Records converted by worker threads (from 32 MB of input, or 1,000 small objects from S3) and by the byte scanner
   * where they are plain; false: every record through JSON.parse and the validators, on this thread.
   */
  fast: boolean;
}

/**
 * Everything a warehouse load does, as plain data: printable (`warehouse plan`, `--dry-run`) and assertable.
 * `prepare` runs first (idempotent DDL, fresh `_load` tables); `stage` fills the `_load` tables; `commit` runs in one
 * transaction: swap the new staging in and rebuild the star schema from it. A failure before `commit` ends leaves
 * every table as it was.
 */
export interface WarehousePlan {
  target: Target;
  prepare: SqlStep[];
  stage: CopyStep[];
  commit: SqlStep[];
}

export interface WarehouseLoadRequest {
  target: Target;
  /** Song metadata: every object under this location (s3://bucket/prefix, or a directory). */
  songs: string;
  /** Event logs: every object under this location. */
  events: string;
  /** How events map to columns: a jsonpaths file's location, or 'auto' / 'auto ignorecase'. */
  eventsFormat: string;
  maxErrors: number;
  /** Redshift needs GZIP spelled out; sparkify recognises compressed objects by themselves. */
  gzip?: boolean;
  /** Default true: off, every COPY runs its reference path (see CopyPath). */
  fastPaths?: boolean;
  /** Redshift only: the role COPY assumes to read S3, and the bucket's region. */
  iamRole?: string;
  region?: string;
}

export function planWarehouseLoad(request: WarehouseLoadRequest): WarehousePlan {
  const { target } = request;
  const eventsFormat = jsonFormat(request.eventsFormat);
  const copies: CopyStep[] = [
    copyStep(request, stagingSongs, request.songs, { mode: 'auto' }, undefined),
    copyStep(request, stagingEvents, request.events, eventsFormat, 'epochmillisecs'),
  ];
  const staging = [stagingSongs, stagingEvents];
  const prepare: SqlStep[] = [
    { kind: 'sql', name: 'star schema', sql: warehouseSql(target, 'schema') },
    { kind: 'sql', name: 'staging tables', sql: staging.map((t) => stagingTableDdl(target, t)).join('\n\n') },
    ...(target === 'redshift' ? [] : [{ kind: 'sql' as const, name: 'load errors', sql: loadErrorsDdl(target) }]),
    {
      kind: 'sql',
      name: 'fresh load tables',
      sql: staging.map((t) => `DROP TABLE IF EXISTS ${loadTableName(t)};\n${stagingTableDdl(target, t, loadTableName(t), false)}`).join('\n\n'),
    },
  ];
  const commit = transformSteps.map((name: WarehouseSqlName): SqlStep => ({ kind: 'sql', name, sql: warehouseSql(target, name) }));
  return { target, prepare, stage: copies, commit };
}

function copyStep(request: WarehouseLoadRequest, table: StagingTable, from: string, format: JsonFormat, timeFormat: 'epochmillisecs' | undefined): CopyStep {
  const step: Omit<CopyStep, 'sql'> = {
    kind: 'copy',
    name: `COPY ${table.name}`,
    table: table.name,
    into: loadTableName(table),
    from: request.target === 'redshift' ? s3Url(from, 'source') : from,
    format,
    ...(timeFormat ? { timeFormat } : {}),
    maxErrors: request.maxErrors,
    gzip: request.gzip ?? false,
    ...(request.target === 'redshift' ? {} : { path: copyPath(request.target, request.fastPaths ?? true) }),
  };
  return { ...step, sql: request.target === 'redshift' ? redshiftCopy(step, request) : describeCopy(step, request.target) };
}

/** The path of a COPY sparkify runs: the direct read only where the engine has one (DuckDB). */
export function copyPath(target: Target, fastPaths: boolean): CopyPath {
  return { direct: fastPaths && target === 'duckdb', fast: fastPaths };
}

/** Redshift's own COPY: the cluster reads S3 in parallel; rejects go to stl_load_errors. */
function redshiftCopy(step: Omit<CopyStep, 'sql'>, request: WarehouseLoadRequest): string {
  if (!request.iamRole) throw configError('--iam-role: Redshift COPY needs the ARN of a role that can read the bucket');
  if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(request.iamRole)) throw configError(`--iam-role: not an IAM role ARN: ${JSON.stringify(request.iamRole)}`);
  const format = step.format.mode === 'jsonpaths' ? quote(s3Url(step.format.url, 'jsonpaths file')) : quote(step.format.mode);
  return [
    `COPY ${step.into}`,
    `FROM ${quote(step.from)}`,
    `IAM_ROLE ${quote(request.iamRole)}`,
    `JSON ${format}`,
    `REGION ${quote(request.region ?? 'us-west-2')}`,
    ...(step.timeFormat ? [`TIMEFORMAT ${quote(step.timeFormat)}`] : []),
    ...(step.gzip ? ['GZIP'] : []),
    `MAXERROR ${step.maxErrors}`,
    // Staging is rewritten on every load: no point in Redshift re-deciding encodings or statistics for it.
    'COMPUPDATE OFF STATUPDATE OFF;',
  ].join('\n');
}

/** The same COPY, as sparkify runs it on the embedded and Postgres targets (printed as a comment). */
function describeCopy(step: Omit<CopyStep, 'sql'>, target: Target): string {
  const format = step.format.mode === 'jsonpaths' ? step.format.url : step.format.mode;
  const bulk = target === 'duckdb' ? "DuckDB's CSV COPY" : 'COPY FROM STDIN';
  const path = step.path as CopyPath;
  return [
    `-- COPY ${step.into} FROM '${step.from}' JSON '${format}'${step.timeFormat ? ` TIMEFORMAT '${step.timeFormat}'` : ''} MAXERROR ${step.maxErrors}`,
    ...(path.direct ? [
      `--   run by sparkify: under 1,000 objects, first as INSERT INTO ${step.into} SELECT … FROM read_json([the objects]) with`,
      '--   typed columns, kept only if the loader finds every record plain (values DuckDB converts as COPY does); else:',
    ] : []),
    `--   ${path.direct ? 'objects' : 'run by sparkify: objects'} streamed from the store (gzip recognised), records converted with Redshift's COPY rules,`,
    `--   rejects written to load_errors, rows bulk-loaded with ${bulk}.`,
    path.fast
      ? '--   path: fast (worker threads from 32 MB of input or 1,000 small S3 objects; a byte scanner for plain records)'
      : '--   path: reference (fast paths off): records read on this thread with JSON.parse and the validators',
  ].join('\n');
}

function jsonFormat(text: string): JsonFormat {
  if (text === 'auto' || text === 'auto ignorecase') return { mode: text };
  return { mode: 'jsonpaths', url: text };
}

function s3Url(location: string, what: string): string {
  const parsed = parseLocation(location);
  if (parsed.kind !== 's3') throw configError(`Redshift COPY reads from S3: the ${what} must be an s3:// URL, got ${JSON.stringify(location)}`);
  return formatLocation(parsed).replace(/\/$/, '');
}

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** The plan as the SQL text a target runs, in order. */
export function formatWarehousePlan(plan: WarehousePlan): string {
  const section = (title: string, steps: readonly (SqlStep | CopyStep)[]) =>
    [`-- ${title}`, ...steps.map((s) => `\n-- ${s.name}\n${s.sql}`)].join('\n');
  return [
    `-- target: ${plan.target}`,
    section('1. prepare (idempotent; nothing existing is changed)', plan.prepare),
    '',
    section(`2. stage: COPY into the _load tables (a failed COPY changes nothing else)${plan.target === 'redshift' ? '; rejects in stl_load_errors' : ''}`, plan.stage),
    '',
    '-- 3. swap the new staging in and rebuild the star schema, in one transaction',
    'BEGIN;',
    ...plan.commit.map((s) => `\n-- ${s.name}\n${s.sql}`),
    '',
    'COMMIT;',
    '',
  ].join('\n');
}
