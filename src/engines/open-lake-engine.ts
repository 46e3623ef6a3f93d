import { configError } from '../core/errors.ts';
import type { LakeEngine, LakeEngineKind } from './lake-engine.ts';

/** Where the Spark engine finds its server when no address is given: PySpark's SPARK_REMOTE has our prefix here. */
export const sparkRemoteVariable = 'SPARKIFY_SPARK_REMOTE';

export interface LakeEngineOptions {
  /** DuckDB's threads (default: its own, one per core). */
  threads?: number;
  /** The Spark Connect server, `sc://host:port` (default: $SPARKIFY_SPARK_REMOTE). */
  sparkRemote?: string;
}

/** The lake job's engine. Drivers load only here, when a command uses them. */
export async function openLakeEngine(kind: LakeEngineKind, options: LakeEngineOptions = {}): Promise<LakeEngine> {
  if (kind === 'duckdb') {
    const { DuckDbLakeEngine } = await import('./duckdb/duckdb-lake-engine.ts');
    return DuckDbLakeEngine.open(options.threads ? { threads: options.threads } : {});
  }
  const remote = options.sparkRemote ?? process.env[sparkRemoteVariable];
  if (!remote) {
    throw configError(`the spark engine needs a Spark Connect server: give --spark-remote sc://host:port or set ${sparkRemoteVariable} (npm run spark-connect-server starts one)`,
      { field: 'spark-remote' });
  }
  const { SparkLakeEngine } = await import('./spark/spark-lake-engine.ts');
  return SparkLakeEngine.open({ remote });
}
