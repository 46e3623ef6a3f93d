import { BaseOperator, type TaskScope } from '../dag/base-operator.ts';
import type { JsonValue } from '../dag/json-value.ts';
import type { TaskContext } from '../dag/task-context.ts';
import type { TaskOptions } from '../dag/task-settings.ts';
import { SqlHook } from '../hooks/sql-hook.ts';
import { WarehouseHook } from '../hooks/warehouse-hook.ts';
import { hookConnection, withHook } from './hook-connection.ts';

export type SqlParams = {
  /** A postgres or pglite connection (the SQL hook), or a duckdb one (the warehouse hook). */
  connId: string;
  /** One statement or several, templated; run in order. */
  sql: string | string[];
  /** Default true: all statements in one transaction (all or nothing). */
  transaction?: boolean;
  /** Return the last statement's rows (JSON: big integers as numbers or text, times as ISO text) as the task's result. */
  returnRows?: boolean;
};

/** Statements against a SQL or warehouse connection (Airflow's SQLExecuteQueryOperator). */
export class Sql extends BaseOperator<SqlParams, JsonValue[] | null> {
  override readonly templateFields = ['connId', 'sql'] as const;

  constructor(scope: TaskScope, id: string, options: SqlParams & TaskOptions) {
    super(scope, id, options);
  }

  async execute(context: TaskContext<SqlParams>): Promise<JsonValue[] | null> {
    const p = context.params;
    const statements = typeof p.sql === 'string' ? [p.sql] : p.sql;
    const connection = await hookConnection(context, p.connId);
    const hook = connection.conn_type.toLowerCase() === 'duckdb' ? new WarehouseHook(connection) : new SqlHook(connection);
    return withHook(hook, async () => {
      const engine = await hook.engine();
      context.log(`${statements.length} statement(s) on ${hook.description}`);
      const run = async (session: Pick<typeof engine, 'query'>) => {
        let last: Record<string, unknown>[] = [];
        for (const [i, text] of statements.entries()) {
          context.signal.throwIfAborted();
          context.log(`[${i + 1}] ${text}`);
          last = await session.query<Record<string, unknown>>(text);
        }
        return last;
      };
      const rows = p.transaction === false ? await run(engine) : await engine.transaction(run);
      return p.returnRows === true ? rows.map(jsonRow) : null;
    });
  }
}

function jsonRow(row: Record<string, unknown>): JsonValue {
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(row)) out[k] = jsonCell(v);
  return out;
}

function jsonCell(v: unknown): JsonValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  return String(v);
}
