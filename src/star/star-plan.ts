import { listFiles } from '../datasets/list-files.ts';
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
      /** Plays and time rows go as binary COPY rows (the server takes them in half the time of CSV); the rest as CSV. */
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

/** Everything a star-schema load will do, as plain data: printable (--dry-run) and assertable in tests. */
export interface StarLoadPlan {
  target: string;
  songs: InputSet;
  logs: InputSet;
  rejectsFile: string;
  /** All steps run in one transaction, in this order. */
  steps: PlanStep[];
}

export interface StarLoadRequest {
  songsDir: string;
  logsDir: string;
  target: string;
  rejectsFile: string;
}

const sqlStep = (name: StarSqlName): PlanStep => ({ kind: 'sql', name, sql: starSql(name) });

/** Lists the inputs (failing clearly on unreadable or empty ones) and lays out the steps; touches no database. */
export async function planStarLoad(request: StarLoadRequest): Promise<StarLoadPlan> {
  const [songFiles, logFiles] = await Promise.all([listFiles(request.songsDir, '.json'), listFiles(request.logsDir, '.json')]);
  return {
    target: request.target,
    songs: { root: request.songsDir, files: songFiles },
    logs: { root: request.logsDir, files: logFiles },
    rejectsFile: request.rejectsFile,
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
      { kind: 'copy', name: 'play times', source: 'times', table: 'time', columns: timeColumns, mergeTable: 'stage_time', format: 'binary', beside: true },
      sqlStep('07-time'),
      sqlStep('08-songplays'),
      sqlStep('09-songplays-rematch'),
      sqlStep('10-users'),
      sqlStep('11-songplays-indexes'),
    ],
  };
}

/** The plan as text: inputs, then every statement in order. */
export function formatPlan(plan: StarLoadPlan): string {
  const lines = [
    `-- target: ${plan.target}`,
    `-- songs: ${plan.songs.files.length} files under ${plan.songs.root}`,
    `-- logs:  ${plan.logs.files.length} files under ${plan.logs.root}`,
    `-- rejects: ${plan.rejectsFile}`,
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
