import { SparkifyError } from '../core/errors.ts';
import type { LakeEngine, LakeEngineKind } from './lake-engine.ts';

/** The lake job's engine. Drivers load only here, when a command uses them. */
export async function openLakeEngine(kind: LakeEngineKind, options: { threads?: number } = {}): Promise<LakeEngine> {
  if (kind === 'duckdb') {
    const { DuckDbLakeEngine } = await import('./duckdb/duckdb-lake-engine.ts');
    return DuckDbLakeEngine.open(options);
  }
  throw new SparkifyError('SPK_E_CONFIG', 'the lake job on Spark is not built yet (issue 16 §3): use --engine duckdb');
}
