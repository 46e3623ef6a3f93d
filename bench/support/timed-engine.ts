import type { SqlEngine, SqlSession } from '../../src/engines/engine.ts';
import type { StarLoadPlan } from '../../src/pipelines/star-load/star-plan.ts';

export interface StepTime {
  step: string;
  seconds: number;
}

/**
 * The engine with a stopwatch on every statement and COPY the load runs in its transaction, named after the plan's
 * steps. A COPY's time includes reading and validating its source, which feeds it as a stream.
 */
export function timedEngine(engine: SqlEngine, plan: StarLoadPlan): { engine: SqlEngine; steps: StepTime[] } {
  const steps: StepTime[] = [];
  const nameOf = (sql: string) => plan.steps.find((s) => s.kind !== 'copy' && s.sql === sql)?.name ?? sql.slice(0, 30);
  /** Runs fn as a step; its seconds are also added to `spent` (its transaction's time inside statements). */
  const time = async <T>(step: string, spent: { seconds: number }, fn: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await fn();
    } finally {
      const seconds = (performance.now() - started) / 1000;
      steps.push({ step, seconds });
      spent.seconds += seconds;
    }
  };
  // The load's own transaction, and any beside it (time-beside.ts), each with its own steps and BEGIN + COMMIT.
  let transactions = 0;
  const wrapped: SqlEngine = Object.create(engine, {
    transaction: {
      value: <T>(fn: (tx: SqlSession) => Promise<T>) => {
        const started = performance.now();
        const prefix = transactions++ === 0 ? '' : 'beside: ';
        const spent = { seconds: 0 };
        return engine.transaction((tx) => fn({
          query: (sql, params) => time(`${prefix}${nameOf(sql)}`, spent, () => tx.query(sql, params)),
          exec: (sql) => time(`${prefix}${nameOf(sql)}`, spent, () => tx.exec(sql)),
          copyCsv: (table, columns, chunks, options) => time(`${prefix}COPY ${table} (read + validate + load)`, spent, () => tx.copyCsv(table, columns, chunks, options)),
        })).finally(() => {
          steps.push({ step: `${prefix}BEGIN + COMMIT`, seconds: (performance.now() - started) / 1000 - spent.seconds });
        });
      },
    },
  });
  return { engine: wrapped, steps };
}
