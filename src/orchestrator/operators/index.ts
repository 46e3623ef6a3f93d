/** The operators a DAG file imports (beside the authoring API, src/orchestrator/dag/index.ts). */
export { CassandraLoad, type CassandraLoadParams } from './cassandra-load.ts';
export { Command, type CommandParams } from './command.ts';
export { DataQuality, type CheckSpec, type DataQualityParams } from './data-quality.ts';
export { defaultConnection, defaultConnectionIds } from './default-connections.ts';
export { Empty } from './empty.ts';
export { onWarehouse, intervalOf } from './warehouse-task.ts';
export { EtlPostgres, type EtlPostgresParams } from './etl-postgres.ts';
export { hookConnection, withHook } from './hook-connection.ts';
export { LakeBuild, type LakeBuildParams } from './lake-build.ts';
export { LoadDimension, type LoadDimensionParams } from './load-dimension.ts';
export { LoadFact, type LoadFactParams } from './load-fact.ts';
export { ObjectKeySensor, type ObjectKeySensorParams } from './object-key-sensor.ts';
export { RescheduleRequest } from './reschedule-request.ts';
export { Sql, type SqlParams } from './sql.ts';
export { StageToWarehouse, type StageToWarehouseParams } from './stage-to-warehouse.ts';
export { WarehouseLoad, type WarehouseLoadParams } from './warehouse-load.ts';
