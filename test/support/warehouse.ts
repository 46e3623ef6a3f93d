import type { TestContext } from 'node:test';
import type { SqlEngine } from '../../src/engines/engine.ts';
import { DuckDbEngine } from '../../src/engines/duckdb/duckdb-engine.ts';
import { PostgresEngine } from '../../src/engines/postgres/postgres-engine.ts';
import { openStore } from '../../src/storage/open-store.ts';
import type { S3Config } from '../../src/storage/s3/s3-config.ts';
import { applyWarehouseLoad, type WarehouseLoadResult } from '../../src/pipelines/warehouse/apply-warehouse-load.ts';
import { planWarehouseLoad, type WarehouseLoadRequest } from '../../src/pipelines/warehouse/warehouse-plan.ts';
import { testDatabase } from './postgres.ts';

export const warehouseTargets = ['duckdb', 'postgres'] as const;
export type LocalTarget = (typeof warehouseTargets)[number];

/** An empty warehouse: an in-memory DuckDB, or a fresh database on the test PostgreSQL server. Undefined = skipped. */
export async function freshWarehouse(t: TestContext, target: LocalTarget): Promise<SqlEngine | undefined> {
  if (target === 'duckdb') {
    const engine = await DuckDbEngine.open();
    t.after(() => engine.close());
    return engine;
  }
  const db = await testDatabase(t);
  if (!db) return undefined;
  const engine = new PostgresEngine({ connectionString: db.url });
  t.after(() => engine.close());
  return engine;
}

export type Sources = Pick<WarehouseLoadRequest, 'songs' | 'events' | 'eventsFormat'> & Partial<Pick<WarehouseLoadRequest, 'maxErrors'>>;

export function loadWarehouse(engine: SqlEngine, target: LocalTarget, sources: Sources, s3: S3Config = { region: 'us-east-1' }, loadId = 'test-load'): Promise<WarehouseLoadResult> {
  const plan = planWarehouseLoad({ target, maxErrors: 0, ...sources });
  return applyWarehouseLoad(plan, engine, { open: (l) => openStore(l, s3), loadId, concurrency: 4 });
}
