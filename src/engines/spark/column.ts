import { create, type MessageInitShape } from '@bufbuild/protobuf';
import {
  ExpressionSchema, Expression_WindowSchema, Expression_SortOrder_NullOrdering as NullOrdering, Expression_SortOrder_SortDirection as SortDirection,
  type Expression, type Expression_SortOrder,
} from './generated/spark/connect/expressions_pb.js';

/** What a window function runs over (window.ts's WindowSpec is one): partitions, their order, the frame. */
export interface WindowDefinition {
  partitionSpec: Expression[];
  orderSpec: Expression_SortOrder[];
  frameSpec: MessageInitShape<typeof Expression_WindowSchema>['frameSpec'];
}

export type Literal = string | number | bigint | boolean | null;
/** A column name, a Column, or (in filters) a SQL expression string where PySpark takes one. */
export type ColumnLike = string | Column;

/**
 * An expression of the DataFrame API, as PySpark's `Column`: operators build unresolved functions that the server
 * resolves (`==`, `and`, …), so the names, types and errors are Spark's own.
 */
export class Column {
  readonly expression: Expression;
  readonly #sort: { direction: SortDirection; nulls: NullOrdering } | undefined;

  constructor(expression: Expression, sort?: { direction: SortDirection; nulls: NullOrdering }) {
    this.expression = expression;
    this.#sort = sort;
  }

  alias(name: string): Column {
    return new Column(create(ExpressionSchema, { exprType: { case: 'alias', value: { expr: this.expression, name: [name] } } }));
  }

  eq(other: Column | Literal): Column { return call('==', this, literalOr(other)); }
  ne(other: Column | Literal): Column { return call('!=', this, literalOr(other)); }
  gt(other: Column | Literal): Column { return call('>', this, literalOr(other)); }
  ge(other: Column | Literal): Column { return call('>=', this, literalOr(other)); }
  lt(other: Column | Literal): Column { return call('<', this, literalOr(other)); }
  le(other: Column | Literal): Column { return call('<=', this, literalOr(other)); }
  and(other: Column): Column { return call('and', this, other); }
  or(other: Column): Column { return call('or', this, other); }
  not(): Column { return call('not', this); }
  plus(other: Column | Literal): Column { return call('+', this, literalOr(other)); }
  minus(other: Column | Literal): Column { return call('-', this, literalOr(other)); }
  /** True where the value is one of `values`, as PySpark's `isin` (SQL's IN). */
  isin(...values: (Column | Literal)[]): Column { return call('in', this, ...values.map(literalOr)); }
  isNull(): Column { return call('isNull', this); }
  isNotNull(): Column { return call('isNotNull', this); }
  /** Casts to a Spark SQL type name (`'int'`, `'timestamp'`, `'decimal(10,2)'`). */
  cast(type: string): Column {
    return new Column(create(ExpressionSchema, { exprType: { case: 'cast', value: { expr: this.expression, castToType: { case: 'typeStr', value: type } } } }));
  }

  /** This function over a window (`fn('row_number').over(Window.partitionBy('userId').orderBy('ts'))`). */
  over(window: WindowDefinition): Column {
    return new Column(create(ExpressionSchema, { exprType: { case: 'window', value: { windowFunction: this.expression,
      partitionSpec: window.partitionSpec, orderSpec: window.orderSpec, ...(window.frameSpec ? { frameSpec: window.frameSpec } : {}) } } }));
  }

  asc(): Column { return new Column(this.expression, { direction: SortDirection.ASCENDING, nulls: NullOrdering.SORT_NULLS_FIRST }); }
  desc(): Column { return new Column(this.expression, { direction: SortDirection.DESCENDING, nulls: NullOrdering.SORT_NULLS_LAST }); }

  /** The sort order this column stands for in orderBy (ascending, nulls first, unless asc()/desc() said). */
  sortOrder(): Expression_SortOrder {
    const sort = this.#sort ?? { direction: SortDirection.ASCENDING, nulls: NullOrdering.SORT_NULLS_FIRST };
    return create(ExpressionSchema, { exprType: { case: 'sortOrder', value: { child: this.expression, direction: sort.direction, nullOrdering: sort.nulls } } })
      .exprType.value as Expression_SortOrder;
  }
}

/**
 * `when(condition, value).when(…).otherwise(value)`, as PySpark's: Spark's CASE WHEN (the server's `when` function
 * takes condition, value pairs and an optional last else value), NULL where no branch holds and no otherwise was given.
 */
export class CaseWhen extends Column {
  readonly #parts: Column[];

  constructor(parts: Column[]) {
    super(call('when', ...parts).expression);
    this.#parts = parts;
  }

  when(condition: Column, value: Column | Literal): CaseWhen {
    return new CaseWhen([...this.#parts, condition, literalOr(value)]);
  }

  otherwise(value: Column | Literal): Column {
    return call('when', ...this.#parts, literalOr(value));
  }
}

export const when = (condition: Column, value: Column | Literal): CaseWhen => new CaseWhen([condition, literalOr(value)]);

/** A column by name (`'page'`, `'t.userId'`, `'*'`). */
export function col(name: string): Column {
  if (name === '*') return new Column(create(ExpressionSchema, { exprType: { case: 'unresolvedStar', value: {} } }));
  return new Column(create(ExpressionSchema, { exprType: { case: 'unresolvedAttribute', value: { unparsedIdentifier: name } } }));
}

/** A SQL expression, parsed by the server (`expr("length(song) > 10")`). */
export function expr(sql: string): Column {
  return new Column(create(ExpressionSchema, { exprType: { case: 'expressionString', value: { expression: sql } } }));
}

export function lit(value: Literal): Column {
  const literal = (() => {
    if (value === null) return { case: 'null' as const, value: { kind: { case: 'null' as const, value: {} } } };
    if (typeof value === 'boolean') return { case: 'boolean' as const, value };
    if (typeof value === 'bigint') return { case: 'long' as const, value };
    if (typeof value === 'string') return { case: 'string' as const, value };
    return Number.isInteger(value) && Math.abs(value) <= 2 ** 31 - 1 ? { case: 'integer' as const, value } : { case: 'double' as const, value };
  })();
  return new Column(create(ExpressionSchema, { exprType: { case: 'literal', value: { literalType: literal } } }));
}

/** Any Spark SQL function by name (`fn('hour', col('ts'))`): the functions below are this with Spark's names. */
export function fn(name: string, ...args: ColumnLike[]): Column {
  return call(name, ...args.map(asColumn));
}

export const count = (c: ColumnLike = lit(1)) => fn('count', c);
export const countDistinct = (...cs: ColumnLike[]) => new Column(create(ExpressionSchema, { exprType: { case: 'unresolvedFunction',
  value: { functionName: 'count', arguments: cs.map((c) => asColumn(c).expression), isDistinct: true } } }));
export const avg = (c: ColumnLike) => fn('avg', c);
export const sum = (c: ColumnLike) => fn('sum', c);
export const min = (c: ColumnLike) => fn('min', c);
export const max = (c: ColumnLike) => fn('max', c);
/** The hour (0-23) of a timestamp, in the session's time zone (`spark.sql.session.timeZone`). */
export const hour = (c: ColumnLike) => fn('hour', c);
/** Epoch milliseconds (the logs' `ts`) as a timestamp. */
export const timestamp_millis = (c: ColumnLike) => fn('timestamp_millis', c);

export const asColumn = (c: ColumnLike): Column => (typeof c === 'string' ? col(c) : c);
const literalOr = (v: Column | Literal): Column => (v instanceof Column ? v : lit(v));

function call(functionName: string, ...args: Column[]): Column {
  return new Column(create(ExpressionSchema, { exprType: { case: 'unresolvedFunction',
    value: { functionName, arguments: args.map((a) => a.expression), isDistinct: false } } }));
}
