import { formatTable } from '../../src/core/table.ts';

/** Benchmarks print readable tables on stdout, or one JSON document with --json; notes go to stderr. */
export interface BenchOutput {
  json: boolean;
  note(line: string): void;
  table(title: string, rows: readonly Record<string, unknown>[]): void;
}

export function benchOutput(json: boolean): BenchOutput {
  return {
    json,
    note: (line) => process.stderr.write(`[bench] ${line}\n`),
    table(title, rows) {
      if (json) return;
      process.stdout.write(`\n${title}\n${formatTable(rows)}`);
    },
  };
}

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

export async function timed<T>(fn: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { seconds: (performance.now() - started) / 1000, value };
}
