import { configError, inStep } from '../../core/errors.ts';
import type { SqlSession } from '../../engines/engine.ts';

/** The warehouse targets the interval steps run on (Redshift is compiled to text by the one-shot plan, never run). */
export type IntervalTarget = 'duckdb' | 'postgres';

/** The target an engine is: the steps ask the engine, never its class. */
export function targetOf(engine: { readonly kind: string }): IntervalTarget {
  if (engine.kind === 'duckdb' || engine.kind === 'postgres') return engine.kind;
  throw configError(`the warehouse's interval steps run on DuckDB or PostgreSQL, not ${engine.kind}`);
}

/** A named SQL statement of a step's plan: printable before it runs, asserted by tests. */
export interface IntervalStatement {
  name: string;
  sql: string;
}

/** Runs a plan's statements in order on `tx` (the caller's transaction), naming the failing one. */
export async function runStatements(tx: SqlSession, statements: readonly IntervalStatement[]): Promise<void> {
  for (const s of statements) await inStep(s.name, () => tx.exec(s.sql));
}
