import type { CopyType } from './staging-tables.ts';

/** Where the warehouse lives: embedded DuckDB (default), a PostgreSQL server, or Amazon Redshift (compiled as text). */
export type Target = 'duckdb' | 'postgres' | 'redshift';
export const targets: readonly Target[] = ['duckdb', 'postgres', 'redshift'];

/** Each target's name for the COPY types of the staging columns. */
export const columnTypes: Record<Target, Record<CopyType, string>> = {
  duckdb: { varchar: 'VARCHAR', integer: 'INTEGER', bigint: 'BIGINT', double: 'DOUBLE', timestamp: 'TIMESTAMP' },
  postgres: { varchar: 'text', integer: 'integer', bigint: 'bigint', double: 'double precision', timestamp: 'timestamp' },
  // Staging takes any text COPY accepts: Redshift's widest VARCHAR.
  redshift: { varchar: 'VARCHAR(65535)', integer: 'INTEGER', bigint: 'BIGINT', double: 'DOUBLE PRECISION', timestamp: 'TIMESTAMP' },
};
