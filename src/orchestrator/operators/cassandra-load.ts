import { NdjsonQuarantine } from '../../datasets/quarantine.ts';
import { checkWritableFile } from '../../datasets/check-writable-file.ts';
import { applyCassandraLoad } from '../../pipelines/cassandra-model/apply-cassandra-load.ts';
import { planCassandraLoad } from '../../pipelines/cassandra-model/cassandra-plan.ts';
import { tableNames } from '../../pipelines/cassandra-model/query-tables.ts';
import { BaseOperator, type TaskScope } from '../dag/base-operator.ts';
import type { JsonObject } from '../dag/json-value.ts';
import type { TaskContext } from '../dag/task-context.ts';
import type { TaskOptions } from '../dag/task-settings.ts';
import { CassandraHook, cassandraOptions } from '../hooks/cassandra-hook.ts';
import { objects, table } from './dataset-names.ts';
import { hookConnection, withHook } from './hook-connection.ts';
import { localDir, rejectsFileFor } from './job-inputs.ts';

export type CassandraLoadParams = {
  cassandraConnId: string;
  /** An fs connection. */
  dataConnId: string;
  /** 'events' (the course's CSV files, default, under event_data) or 'logs' (the JSON logs, under log_data). */
  source?: 'events' | 'logs';
  /** The directory under the data connection; default event_data or log_data. */
  path?: string;
  rejectsFile?: string;
};

/** `sparkify cassandra load` as a task: the same plan (planCassandraLoad) and apply (applyCassandraLoad). */
export class CassandraLoad extends BaseOperator<CassandraLoadParams, JsonObject> {
  override readonly templateFields = ['cassandraConnId', 'dataConnId', 'path', 'rejectsFile'] as const;

  constructor(scope: TaskScope, id: string, options: CassandraLoadParams & TaskOptions) {
    const kind = options?.source ?? 'events';
    super(scope, id, { inlets: [objects(options?.path ?? `${kind === 'events' ? 'event' : 'log'}_data`)], outlets: tableNames.map(table), ...options });
  }

  async execute(context: TaskContext<CassandraLoadParams>): Promise<JsonObject> {
    const p = context.params;
    const kind = p.source ?? 'events';
    const root = await localDir(context, p.dataConnId, p.path ?? `${kind === 'events' ? 'event' : 'log'}_data`);
    this.inlets = [objects(root)];
    const connection = await hookConnection(context, p.cassandraConnId);
    const rejectsFile = rejectsFileFor(context, p.rejectsFile);
    const plan = await planCassandraLoad({ source: { kind, root }, config: cassandraOptions(connection), rejectsFile });
    checkWritableFile(rejectsFile, 'rejectsFile');
    return withHook(new CassandraHook(connection), async (hook) => {
      context.log(`Cassandra load of ${plan.source.files.length} files into ${plan.target}`);
      context.signal.throwIfAborted();
      const quarantine = new NdjsonQuarantine(rejectsFile);
      try {
        const r = await applyCassandraLoad(plan, await hook.engine(), quarantine);
        return {
          source: { read: r.source.read, loaded: r.source.loaded, quarantined: r.source.quarantined, filtered: r.source.filtered },
          tables: r.tables.map((t) => ({ table: t.table, rows: t.rows })),
          seconds: r.seconds,
        };
      } finally {
        await quarantine.close();
      }
    });
  }
}
