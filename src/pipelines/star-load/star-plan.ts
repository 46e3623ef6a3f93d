import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { wasmFile } from '../../fastpath/wasm-modules.ts';
import { defaultWorkerThreads, workerThresholdBytes } from '../../fastpath/worker-threads.ts';
import { listFiles } from '../../datasets/list-files.ts';
import { starSql, type StarSqlName } from './sql-files.ts';
import { stageUserColumns } from './latest-users.ts';
import { songplayColumns, stageSongColumns } from './staging-rules.ts';
import { timeColumns } from './time-rows.ts';

export type PlanStep =
  | { kind: 'sql'; name: StarSqlName; sql: string }
  /** The song catalog, read by the loader, which matches the plays to it as it reads the logs. */
  | { kind: 'catalog'; name: StarSqlName; sql: string }
  | {
      kind: 'copy';
      name: string;
      source: 'songs' | 'plays' | 'users' | 'times';
      table: string;
      columns: readonly string[];
      /** COPY into this table instead when the load is not on the bulk path (see 06-load-targets.sql). */
      mergeTable?: string;
      /**
       * Plays and time rows go as binary COPY rows, which the server stores without parsing text
       * (docs/decisions/2026-12-01-binary-copy-for-plays.md); the rest as CSV.
       */
      format: 'csv' | 'binary';
      /**
       * On a first load into a server (an engine with concurrent transactions): COPYed by a second connection into a
       * table of its own, keyed there, and put in `table`'s place before the commit (02-time-beside.sql).
       */
      beside?: boolean;
    };

export interface InputSet {
  root: string;
  files: string[];
}

/**
 * How the plays are read, matched and encoded: the one place the star load chooses between its reference path and
 * its fast paths (both load the same rows). Chosen when planning, from the switch and the logs' size; the apply
 * follows it.
 */
export interface PlayPath {
  /** Worker threads reading the logs (play-rows-in-workers.ts); 0: this thread (play-rows.ts). */
  workers: number;
  /**
   * 'reference': every line through JSON.parse and the validators. In workers, lines go through PlayBytes' byte
   * scanner first ('webassembly' when the module is built, else 'javascript'), the rest through the reference.
   */
  scan: 'reference' | 'webassembly' | 'javascript';
  /** Events and song files read ahead while the load waits on the server. */
  readAhead: boolean;
}

/** Everything a star-schema load will do, as plain data: printable (--dry-run) and assertable in tests. */
export interface StarLoadPlan {
  target: string;
  songs: InputSet;
  logs: InputSet;
  rejectsFile: string;
  /** Whether the fast paths may run (the switch: --no-fast-paths, SPARKIFY_FAST_PATHS). */
  fastPaths: boolean;
  plays: PlayPath;
  /** All steps run in one transaction, in this order. */
  steps: PlanStep[];
}

export interface StarLoadRequest {
  songsDir: string;
  logsDir: string;
  target: string;
  rejectsFile: string;
  /** Default true: off, the load runs its reference path only (see PlayPath; no time built beside). */
  fastPaths?: boolean;
  /** Worker threads for the plays whatever the input's size (0: this thread), for tests of each path; only with fast paths. */
  workers?: number;
}

const sqlStep = (name: StarSqlName): PlanStep => ({ kind: 'sql', name, sql: starSql(name) });

/** Lists the inputs (failing clearly on unreadable or empty ones) and lays out the steps; touches no database. */
export async function planStarLoad(request: StarLoadRequest): Promise<StarLoadPlan> {
  const [songFiles, logFiles] = await Promise.all([listFiles(request.songsDir, '.json'), listFiles(request.logsDir, '.json')]);
  const fastPaths = request.fastPaths ?? true;
  // Small inputs are not worth a worker's start-up (docs/decisions/2026-11-25-star-parsing-on-worker-threads.md).
  const workers = request.workers ?? ((await holdAtLeast(logFiles, workerThresholdBytes)) ? defaultWorkerThreads() : 0);
  return {
    target: request.target,
    songs: { root: request.songsDir, files: songFiles },
    logs: { root: request.logsDir, files: logFiles },
    rejectsFile: request.rejectsFile,
    fastPaths,
    plays: playPath(fastPaths, workers, logFiles.length),
    steps: [
      sqlStep('01-schema'),
      sqlStep('02-staging'),
      sqlStep('02-key-function'),
      sqlStep('02-time-beside'),
      { kind: 'copy', name: 'stage songs', source: 'songs', table: 'stage_songs', columns: stageSongColumns, format: 'csv' },
      // Artists before songs (songs reference artists); both before the catalog the plays are matched against.
      sqlStep('03-artists'),
      sqlStep('04-songs'),
      { kind: 'catalog', name: '05-catalog', sql: starSql('05-catalog') },
      sqlStep('06-load-targets'),
      { kind: 'copy', name: 'NextSong plays', source: 'plays', table: 'songplays', columns: songplayColumns, mergeTable: 'stage_songplays', format: 'binary' },
      { kind: 'copy', name: 'latest users', source: 'users', table: 'stage_users', columns: stageUserColumns, format: 'csv' },
      // The time rows were made with the plays and wait in a spool until the plays' COPY is over.
      { kind: 'copy', name: 'play times', source: 'times', table: 'time', columns: timeColumns, mergeTable: 'stage_time', format: 'binary', ...(fastPaths ? { beside: true } : {}) },
      sqlStep('07-time'),
      sqlStep('08-songplays'),
      sqlStep('09-songplays-rematch'),
      sqlStep('10-users'),
      sqlStep('11-songplays-indexes'),
    ],
  };
}

/** The plays' path for the switch and a number of worker threads (capped by the files: one file, one worker at most). */
export function playPath(fastPaths: boolean, workers: number, files: number): PlayPath {
  if (!fastPaths) return { workers: 0, scan: 'reference', readAhead: false };
  if (workers === 0) return { workers: 0, scan: 'reference', readAhead: true };
  return { workers: Math.max(1, Math.min(workers, files)), scan: existsSync(wasmFile('play-rows')) ? 'webassembly' : 'javascript', readAhead: true };
}

/** The plays' path in words, for the printed plan. */
export function describePlayPath(path: PlayPath): string {
  const where = path.workers === 0 ? 'this thread' : `${path.workers} worker thread${path.workers === 1 ? '' : 's'}`;
  const scan = path.scan === 'reference' ? 'reference path (JSON.parse and the validators)' : `byte scanner on ${path.scan === 'webassembly' ? 'WebAssembly' : 'JavaScript'}, the reference path for the lines it declines`;
  return `${where}, ${scan}${path.readAhead ? ', reading ahead' : ''}`;
}

/** Whether the files hold at least `bytes`; one that cannot be stat'ed counts as empty here and fails where it is read. */
async function holdAtLeast(files: readonly string[], bytes: number): Promise<boolean> {
  let total = 0;
  for (const file of files) {
    total += await stat(file).then((s) => s.size, () => 0);
    if (total >= bytes) return true;
  }
  return false;
}

/** The plan as text: inputs, then every statement in order. */
export function formatPlan(plan: StarLoadPlan): string {
  const lines = [
    `-- target: ${plan.target}`,
    `-- songs: ${plan.songs.files.length} files under ${plan.songs.root}`,
    `-- logs:  ${plan.logs.files.length} files under ${plan.logs.root}`,
    `-- rejects: ${plan.rejectsFile}`,
    `-- fast paths: ${plan.fastPaths ? 'on' : 'off (--no-fast-paths or SPARKIFY_FAST_PATHS=off)'}`,
    '-- one transaction:',
    'BEGIN;',
  ];
  for (const [i, step] of plan.steps.entries()) {
    lines.push('', `-- step ${i + 1}: ${step.name}`);
    if (step.kind === 'sql') lines.push(step.sql.trim());
    else if (step.kind === 'catalog') lines.push(step.sql.trim(), '-- (read by the loader, which matches the plays to it)');
    else {
      const what = {
        songs: 'validated song records', plays: 'validated NextSong events, matched to the catalog', users: "each user's latest play",
        times: "one row per distinct play timestamp of each file, with date_part's fields",
      }[step.source];
      lines.push(`COPY ${step.table} (${step.columns.join(', ')}) FROM STDIN WITH (FORMAT ${step.format});  -- ${what}`);
      if (step.source === 'plays') lines.push(`-- (read on ${describePlayPath(plan.plays)})`);
      if (step.mergeTable !== undefined) lines.push(`-- (into ${step.mergeTable} instead when ${step.table} holds earlier loads)`);
      if (step.beside === true) {
        lines.push(`-- (on a server's first load: by a second connection into a table of its own, keyed and committed there while this`,
          `--  transaction builds the fact's keys, then put in ${step.table}'s place before COMMIT: 02-time-beside.sql)`);
      }
    }
  }
  lines.push('', 'COMMIT;');
  return `${lines.join('\n')}\n`;
}
