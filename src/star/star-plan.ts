import { listFiles } from '../datasets/list-files.ts';
import { starSql, type StarSqlName } from './sql-files.ts';
import { stageEventColumns, stageSongColumns } from './staging-rules.ts';

export type PlanStep =
  | { kind: 'sql'; name: StarSqlName; sql: string }
  | { kind: 'copy'; name: string; source: 'songs' | 'logs'; table: string; columns: readonly string[] };

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
      { kind: 'copy', name: 'stage songs', source: 'songs', table: 'stage_songs', columns: stageSongColumns },
      { kind: 'copy', name: 'stage NextSong events', source: 'logs', table: 'stage_events', columns: stageEventColumns },
      // Artists before songs (songs reference artists); the dimensions before the fact that matches against them.
      sqlStep('03-artists'),
      sqlStep('04-songs'),
      sqlStep('05-users'),
      sqlStep('06-time'),
      sqlStep('07-catalog'),
      sqlStep('08-songplays'),
      sqlStep('09-songplays-rematch'),
      sqlStep('10-songplays-indexes'),
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
    else lines.push(`COPY ${step.table} (${step.columns.join(', ')}) FROM STDIN WITH (FORMAT csv);  -- validated ${step.source} records`);
  }
  lines.push('', 'COMMIT;');
  return `${lines.join('\n')}\n`;
}
