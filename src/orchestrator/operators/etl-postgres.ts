import { checkWritableFile } from '../../datasets/check-writable-file.ts';
import { NdjsonQuarantine } from '../../datasets/quarantine.ts';
import { applyStarLoad } from '../../pipelines/star-load/apply-star-load.ts';
import { planStarLoad } from '../../pipelines/star-load/star-plan.ts';
import { BaseOperator, type TaskScope } from '../dag/base-operator.ts';
import type { TaskContext } from '../dag/task-context.ts';
import type { TaskOptions } from '../dag/task-settings.ts';
import { SqlHook } from '../hooks/sql-hook.ts';
import { table } from './dataset-names.ts';
import { hookConnection, withHook } from './hook-connection.ts';
import { localDir, rejectsFileFor } from './job-inputs.ts';

export type EtlPostgresParams = {
  /** A postgres or pglite connection (default id sparkify_db: the embedded PGlite under the data directory). */
  dbConnId: string;
  /** An fs connection: song_data and log_data are directories under it. */
  dataConnId: string;
  /** Default 'song_data' and 'log_data'. */
  songs?: string;
  logs?: string;
  /** Default: <data-dir>/rejects/<dag>.<task>-<run>-<try>.ndjson. */
  rejectsFile?: string;
  /** Default true (the CLI's --no-fast-paths: false). */
  fastPaths?: boolean;
};

export type JobTables = { sources: { source: string; read: number; loaded: number; quarantined: number }[]; tables: { table: string; rows: number }[]; seconds: number };

/** `sparkify etl postgres` as a task: the same plan (planStarLoad) applied in one transaction (applyStarLoad). */
export class EtlPostgres extends BaseOperator<EtlPostgresParams, JobTables> {
  override readonly templateFields = ['dbConnId', 'dataConnId', 'songs', 'logs', 'rejectsFile'] as const;

  constructor(scope: TaskScope, id: string, options: EtlPostgresParams & TaskOptions) {
    const star = ['songplays', 'users', 'songs', 'artists', 'time'].map(table);
    super(scope, id, { inlets: [{ kind: 'objects', name: options?.songs ?? 'song_data' }, { kind: 'objects', name: options?.logs ?? 'log_data' }], outlets: star, ...options });
  }

  async execute(context: TaskContext<EtlPostgresParams>): Promise<JobTables> {
    const p = context.params;
    const [songsDir, logsDir] = [await localDir(context, p.dataConnId, p.songs ?? 'song_data'), await localDir(context, p.dataConnId, p.logs ?? 'log_data')];
    this.inlets = [{ kind: 'objects', name: songsDir }, { kind: 'objects', name: logsDir }];
    const rejectsFile = rejectsFileFor(context, p.rejectsFile);
    return withHook(new SqlHook(await hookConnection(context, p.dbConnId)), async (hook) => {
      const plan = await planStarLoad({ songsDir, logsDir, target: hook.description, rejectsFile, fastPaths: p.fastPaths ?? true });
      checkWritableFile(rejectsFile, 'rejectsFile');
      context.log(`star load of ${plan.songs.files.length} song files and ${plan.logs.files.length} log files into ${plan.target}`);
      context.signal.throwIfAborted();
      const quarantine = new NdjsonQuarantine(rejectsFile);
      try {
        const r = await applyStarLoad(plan, await hook.engine(), quarantine);
        if (quarantine.total > 0) context.log(`${quarantine.total} records quarantined in ${rejectsFile}`);
        return summary(r);
      } finally {
        await quarantine.close();
      }
    });
  }
}

export function summary(r: { sources: { source: string; read: number; loaded: number; quarantined: number }[]; tables: { table: string; rows: number }[]; seconds: number }): JobTables {
  return {
    sources: r.sources.map((s) => ({ source: s.source, read: s.read, loaded: s.loaded, quarantined: s.quarantined })),
    tables: r.tables.map((t) => ({ table: t.table, rows: Number(t.rows) })),
    seconds: r.seconds,
  };
}
