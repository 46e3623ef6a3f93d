import { configError } from '../../core/errors.ts';
import { silentProgress } from '../../core/progress.ts';
import { MemoryQuarantine } from '../../datasets/quarantine.ts';
import { openLakeEngine } from '../../engines/open-lake-engine.ts';
import { applyLakeBuild } from '../../pipelines/lake/apply-lake-build.ts';
import { planLakeBuild } from '../../pipelines/lake/lake-plan.ts';
import { BaseOperator, type TaskScope } from '../dag/base-operator.ts';
import type { JsonObject } from '../dag/json-value.ts';
import type { TaskContext } from '../dag/task-context.ts';
import type { TaskOptions } from '../dag/task-settings.ts';
import { formatLocation } from '../../storage/location.ts';
import { ObjectStoreHook } from '../hooks/object-store-hook.ts';
import { objects, under } from './dataset-names.ts';
import { hookConnection } from './hook-connection.ts';
import type { HookConnection } from '../hooks/connection.ts';

export type LakeBuildParams = {
  /** An fs or aws connection: where song_data/ and log_data/ are. */
  storageConnId: string;
  bucket?: string;
  /** The key (prefix) under the store holding song_data/ and log_data/ (default: the store's root). */
  input?: string;
  /** An fs or aws connection for the lake (default: storageConnId), its bucket, and the lake's key (default 'lake'). */
  lakeConnId?: string;
  lakeBucket?: string;
  output?: string;
  /** duckdb (default) or spark. */
  engine?: 'duckdb' | 'spark';
  /**
   * With engine spark: a connection to the Spark Connect server (Airflow's `spark_connect` type: host and port, or
   * the host as a whole `sc://` address); default $SPARKIFY_SPARK_REMOTE.
   */
  sparkConnId?: string;
  /** 'interval' (default): the months the run's data interval touches, of time and songplays; 'full': every table. */
  scope?: 'interval' | 'full';
};

const lakeTables = ['songs', 'artists', 'users', 'time', 'songplays'];

/**
 * `sparkify lake build` as a task, for the run's data interval: the same plan and apply. The interval is widened to
 * whole months (a month partition is always complete), so each run of a month replaces that month's partitions, and
 * re-running one is idempotent.
 */
export class LakeBuild extends BaseOperator<LakeBuildParams, JsonObject> {
  override readonly templateFields = ['storageConnId', 'bucket', 'input', 'lakeConnId', 'lakeBucket', 'output', 'sparkConnId'] as const;

  constructor(scope: TaskScope, id: string, options: LakeBuildParams & TaskOptions) {
    if (options?.scope !== undefined && !['interval', 'full'].includes(options.scope)) throw configError(`LakeBuild '${id}': scope must be interval or full`);
    super(scope, id, {
      inlets: [objects('song_data'), objects('log_data')],
      outlets: lakeTables.map((t) => objects(`${options?.output ?? 'lake'}/${t}`)),
      ...options,
    });
  }

  async execute(context: TaskContext<LakeBuildParams>): Promise<JsonObject> {
    const p = context.params;
    const data = new ObjectStoreHook(await hookConnection(context, p.storageConnId));
    const lake = p.lakeConnId === undefined ? data : new ObjectStoreHook(await hookConnection(context, p.lakeConnId));
    const input = p.input ? under(data.base(p.bucket), p.input) : data.base(p.bucket);
    const output = under(lake.base(p.lakeBucket ?? p.bucket), p.output ?? 'lake');
    const full = p.scope === 'full';
    const plan = planLakeBuild({
      engine: p.engine ?? 'duckdb', input, output,
      ...(full ? {} : { since: context.dataIntervalStart.toISOString(), until: context.dataIntervalEnd.toISOString() }),
    });
    this.inlets = [objects(plan.songs), objects(plan.logs)];
    this.outlets = plan.tables.map((t) => objects(`${plan.output}/${t.name}`));
    context.log(`lake build of ${input} into ${output}: ${plan.interval ? `months ${plan.interval.months.join(', ')}` : 'every table'}`);
    context.signal.throwIfAborted();
    const quarantine = new MemoryQuarantine();
    const engine = await openLakeEngine(plan.engine, p.sparkConnId === undefined ? {} : { sparkRemote: sparkRemoteOf(await hookConnection(context, p.sparkConnId)) });
    try {
      const r = await applyLakeBuild(plan, engine, {
        // The lake's location opens with the lake's connection, the inputs with the data's.
        open: (location) => (formatLocation(location) === plan.output ? lake : data).open(location),
        runId: `${context.runId}-${context.taskId}-${context.tryNumber}`.replace(/[^A-Za-z0-9_.-]+/g, '_'),
        quarantine,
        progress: silentProgress,
      });
      for (const q of quarantine.records.slice(0, 20)) context.log(`quarantined ${q.file}:${q.line} ${q.field ? `${q.field}: ` : ''}${q.reason}`);
      if (quarantine.total > 20) context.log(`… ${quarantine.total - 20} more quarantined records`);
      context.log(`published version ${r.runId}: ${r.tables.map((t) => `${t.table} ${t.rows}`).join(', ')}`);
      return {
        version: r.runId, seconds: r.seconds, quarantined: quarantine.total,
        sources: r.sources.map((s) => ({ ...s })),
        tables: r.tables.map((t) => ({ ...t })),
      };
    } finally {
      await engine.close();
    }
  }
}

/** A spark_connect connection as an `sc://host:port` address (15002, Spark Connect's port, when none is given). */
export function sparkRemoteOf(connection: HookConnection): string {
  const host = connection.host ?? '';
  if (host.startsWith('sc://')) return host;
  if (host === '') throw configError('the Spark Connect connection has no host');
  return `sc://${host}:${connection.port ?? 15002}`;
}
