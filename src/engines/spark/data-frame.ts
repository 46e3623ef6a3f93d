import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { PlanSchema } from './generated/spark/connect/base_pb.js';
import { Aggregate_GroupType, Join_JoinType, RelationSchema, type Relation } from './generated/spark/connect/relations_pb.js';
import { rowsOfArrowBatch, type Row } from './arrow-rows.ts';
import { DataFrameWriter } from './data-frame-writer.ts';
import { asColumn, type Column, type ColumnLike, expr } from './column.ts';
import type { SparkConnectClient } from './spark-connect-client.ts';

export interface RunOptions {
  /** Aborting it interrupts the operation on the server; the call then rejects with an interrupted SparkifyError. */
  signal?: AbortSignal;
}

export type JoinHow = 'inner' | 'left' | 'left_outer' | 'right' | 'right_outer' | 'full' | 'outer' | 'full_outer' | 'left_semi' | 'semi' | 'left_anti' | 'anti' | 'cross';

const joinTypes: Record<JoinHow, Join_JoinType> = {
  inner: Join_JoinType.INNER, left: Join_JoinType.LEFT_OUTER, left_outer: Join_JoinType.LEFT_OUTER, right: Join_JoinType.RIGHT_OUTER,
  right_outer: Join_JoinType.RIGHT_OUTER, full: Join_JoinType.FULL_OUTER, outer: Join_JoinType.FULL_OUTER, full_outer: Join_JoinType.FULL_OUTER,
  left_semi: Join_JoinType.LEFT_SEMI, semi: Join_JoinType.LEFT_SEMI, left_anti: Join_JoinType.LEFT_ANTI, anti: Join_JoinType.LEFT_ANTI, cross: Join_JoinType.CROSS,
};

export type ExplainMode = 'simple' | 'extended' | 'codegen' | 'cost' | 'formatted';

type RelType = MessageInitShape<typeof RelationSchema>['relType'];

/**
 * A lazy query, as PySpark's DataFrame: each transformation returns a new DataFrame around a bigger relation, and
 * nothing runs on the server until rows (or a plan) are asked for.
 */
export class DataFrame {
  /** The session's client: a DataFrame runs in the session that made it. */
  readonly client: SparkConnectClient;
  readonly relation: Relation;

  constructor(client: SparkConnectClient, relation: Relation) {
    this.client = client;
    this.relation = relation;
  }

  select(...columns: ColumnLike[]): DataFrame {
    return this.#then({ case: 'project', value: { input: this.relation, expressions: columns.map((c) => asColumn(c).expression) } });
  }

  /** Rows where `condition` holds: a Column, or a SQL expression string as in PySpark. */
  filter(condition: Column | string): DataFrame {
    const c = typeof condition === 'string' ? expr(condition) : condition;
    return this.#then({ case: 'filter', value: { input: this.relation, condition: c.expression } });
  }

  where(condition: Column | string): DataFrame {
    return this.filter(condition);
  }

  withColumn(name: string, column: Column): DataFrame {
    return this.#then({ case: 'withColumns', value: { input: this.relation, aliases: [{ expr: column.expression, name: [name] }] } });
  }

  groupBy(...columns: ColumnLike[]): GroupedData {
    return new GroupedData(this, columns.map(asColumn));
  }

  /**
   * Joins on a condition, or on same-named columns (`on: ['userId']`, kept once in the result), as PySpark's join.
   * Columns named in a condition must be unambiguous: alias them (`withColumn`/`select(... .alias())`) first.
   */
  join(other: DataFrame, on: Column | string[], how: JoinHow = 'inner'): DataFrame {
    const condition = Array.isArray(on) ? { usingColumns: on } : { joinCondition: on.expression };
    return this.#then({ case: 'join', value: { left: this.relation, right: other.relation, joinType: joinTypes[how], ...condition } });
  }

  /** `df.write`: saves this DataFrame's rows (Parquet, JSON, …) when its save method is awaited. */
  get write(): DataFrameWriter {
    return new DataFrameWriter(this.client, this.relation);
  }

  /** Aggregates over the whole DataFrame, as `df.agg(...)`. */
  agg(...aggregates: Column[]): DataFrame {
    return this.groupBy().agg(...aggregates);
  }

  orderBy(...columns: ColumnLike[]): DataFrame {
    return this.#then({ case: 'sort', value: { input: this.relation, order: columns.map((c) => asColumn(c).sortOrder()), isGlobal: true } });
  }

  sort(...columns: ColumnLike[]): DataFrame {
    return this.orderBy(...columns);
  }

  limit(n: number): DataFrame {
    return this.#then({ case: 'limit', value: { input: this.relation, limit: n } });
  }

  /** Distinct rows, or rows distinct on the named columns (the first of each kept, as Spark picks). */
  dropDuplicates(columnNames?: string[]): DataFrame {
    return this.#then({ case: 'deduplicate', value: { input: this.relation, ...(columnNames?.length ? { columnNames } : { allColumnsAsKeys: true }) } });
  }

  /** Registers this DataFrame as a temporary view of its session, as PySpark's `createOrReplaceTempView`. */
  async createOrReplaceTempView(name: string, options: RunOptions = {}): Promise<void> {
    const plan = create(PlanSchema, { opType: { case: 'command', value: { commandType: { case: 'createDataframeView', value: {
      input: this.relation, name, isGlobal: false, replace: true } } } } });
    for await (const _ of this.client.execute(plan, { ...options, what: `Spark view ${name}` })) {
      // Drained: the view exists once the stream completes.
    }
  }

  /** The server's plan for this DataFrame, as `df.explain()` prints it. */
  async explain(mode: ExplainMode = 'simple'): Promise<string> {
    return this.client.explain(this.#plan(), mode);
  }

  /** The rows, batch by batch as the server streams them: memory stays at about one Arrow batch (≤ 4 MiB). */
  async *batches(options: RunOptions = {}): AsyncGenerator<Row[]> {
    for await (const response of this.client.execute(this.#plan(), { ...options, what: 'Spark query' })) {
      if (response.responseType.case === 'arrowBatch') yield rowsOfArrowBatch(response.responseType.value.data);
    }
  }

  /** The rows one at a time (see batches). */
  async *stream(options: RunOptions = {}): AsyncGenerator<Row> {
    for await (const batch of this.batches(options)) yield* batch;
  }

  /** Every row in memory: for small results. */
  async collect(options: RunOptions = {}): Promise<Row[]> {
    const rows: Row[] = [];
    for await (const batch of this.batches(options)) for (const row of batch) rows.push(row);
    return rows;
  }

  async count(options: RunOptions = {}): Promise<number> {
    const [row] = await this.groupBy().agg(expr('count(1)').alias('n')).collect(options);
    return Number(row?.n ?? 0);
  }

  #plan() {
    return create(PlanSchema, { opType: { case: 'root', value: this.relation } });
  }

  #then(relType: RelType): DataFrame {
    return new DataFrame(this.client, create(RelationSchema, { relType }));
  }
}

/** `df.groupBy(...)`: what agg() aggregates over. */
export class GroupedData {
  readonly #df: DataFrame;
  readonly #keys: Column[];

  constructor(df: DataFrame, keys: Column[]) {
    this.#df = df;
    this.#keys = keys;
  }

  agg(...aggregates: Column[]): DataFrame {
    return new DataFrame(this.#df.client, create(RelationSchema, { relType: { case: 'aggregate', value: {
      input: this.#df.relation, groupType: Aggregate_GroupType.GROUPBY,
      groupingExpressions: this.#keys.map((k) => k.expression), aggregateExpressions: aggregates.map((a) => a.expression) } } }));
  }

  /** Rows per group, in a column named `count`, as PySpark's `groupBy(...).count()`. */
  count(): DataFrame {
    return this.agg(expr('count(1)').alias('count'));
  }
}
