import { create } from '@bufbuild/protobuf';
import { ExpressionSchema, Expression_Window_WindowFrame_FrameType as FrameType, type Expression } from './generated/spark/connect/expressions_pb.js';
import { asColumn, type ColumnLike, type WindowDefinition } from './column.ts';

/** Frame bounds as PySpark names them: `Window.unboundedPreceding`, `Window.currentRow`, or a row offset. */
export const unboundedPreceding = Number.NEGATIVE_INFINITY;
export const unboundedFollowing = Number.POSITIVE_INFINITY;
export const currentRow = 0;

/** A window specification, as PySpark's `Window.partitionBy(...).orderBy(...).rowsBetween(...)`; immutable. */
export class WindowSpec implements WindowDefinition {
  readonly partitionSpec: Expression[];
  readonly orderSpec: WindowDefinition['orderSpec'];
  readonly frameSpec: WindowDefinition['frameSpec'];

  constructor(parts: Partial<WindowDefinition> = {}) {
    this.partitionSpec = parts.partitionSpec ?? [];
    this.orderSpec = parts.orderSpec ?? [];
    this.frameSpec = parts.frameSpec;
  }

  partitionBy(...columns: ColumnLike[]): WindowSpec {
    return new WindowSpec({ ...this, partitionSpec: columns.map((c) => asColumn(c).expression) });
  }

  orderBy(...columns: ColumnLike[]): WindowSpec {
    return new WindowSpec({ ...this, orderSpec: columns.map((c) => asColumn(c).sortOrder()) });
  }

  /** A frame of rows relative to the current one (`rowsBetween(unboundedPreceding, currentRow)`). */
  rowsBetween(start: number, end: number): WindowSpec {
    return new WindowSpec({ ...this, frameSpec: { frameType: FrameType.ROW, lower: boundary(start), upper: boundary(end) } });
  }

  /**
   * A frame of order-column values relative to the current row's (`rangeBetween(unboundedPreceding, currentRow)`):
   * rows tied with the current one on the order are in its frame together, so a running sum does not depend on which
   * of the tied rows Spark happens to put first, as it does with rowsBetween.
   */
  rangeBetween(start: number, end: number): WindowSpec {
    return new WindowSpec({ ...this, frameSpec: { frameType: FrameType.RANGE, lower: boundary(start), upper: boundary(end) } });
  }
}

export const Window = {
  partitionBy: (...columns: ColumnLike[]) => new WindowSpec().partitionBy(...columns),
  orderBy: (...columns: ColumnLike[]) => new WindowSpec().orderBy(...columns),
  unboundedPreceding, unboundedFollowing, currentRow,
};

function boundary(at: number): NonNullable<WindowDefinition['frameSpec']>['lower'] {
  if (!Number.isFinite(at)) return { boundary: { case: 'unbounded', value: true } };
  if (at === 0) return { boundary: { case: 'currentRow', value: true } };
  const literal = create(ExpressionSchema, { exprType: { case: 'literal', value: { literalType: { case: 'integer', value: at } } } });
  return { boundary: { case: 'value', value: literal } };
}
