import type { CqlStatement } from '../../engines/cql-engine.ts';
import type { Play } from './play.ts';
import type { QueryTable } from './query-tables.ts';

export interface BatchLimits {
  /** Rows of one partition per unlogged batch. */
  maxRows: number;
  /**
   * Text bytes per batch: Cassandra warns above batch_size_warn_threshold (5 KiB by default) and refuses above
   * the fail threshold (50 KiB); a row bigger than this is written alone.
   */
  maxBytes: number;
}

export const defaultBatchLimits: BatchLimits = { maxRows: 16, maxBytes: 4096 };

export interface WindowStats {
  rows: number;
  statements: number;
  batches: number;
}

/**
 * The writes for a window of plays: one INSERT per play and table, where rows of the same partition are grouped
 * into UNLOGGED batches. Never across partitions: a multi-partition batch makes the coordinator wait on every
 * replica set it touches, while a single-partition batch is applied as one mutation — fewer requests, same rows.
 * A batch is one prepared statement (BEGIN UNLOGGED BATCH … APPLY BATCH) with every value bound.
 */
export function windowStatements(plays: readonly Play[], tables: readonly QueryTable[], limits: BatchLimits,
  stats: Map<string, WindowStats>): CqlStatement[] {
  const out: CqlStatement[] = [];
  for (const table of tables) {
    const s = stats.get(table.name) ?? { rows: 0, statements: 0, batches: 0 };
    stats.set(table.name, s);
    const partitions = new Map<string, unknown[][]>();
    for (const play of plays) {
      const values = table.values(play);
      const key = JSON.stringify(values.slice(0, table.partitionKeyValues));
      const rows = partitions.get(key);
      if (rows) rows.push(values);
      else partitions.set(key, [values]);
    }
    for (const rows of partitions.values()) {
      s.rows += rows.length;
      for (const group of chunk(rows, limits)) {
        s.statements++;
        if (group.length === 1) out.push({ query: table.insert, params: group[0] as unknown[] });
        else {
          s.batches++;
          out.push({ query: batchCql(table.insert, group.length), params: group.flat() });
        }
      }
    }
  }
  return out;
}

const batchText = new Map<string, string>();

/** `BEGIN UNLOGGED BATCH` + n times the INSERT + `APPLY BATCH`: one text per (table, n), prepared once each. */
export function batchCql(insert: string, n: number): string {
  const key = `${n}\u0000${insert}`;
  let text = batchText.get(key);
  if (text === undefined) {
    text = `BEGIN UNLOGGED BATCH\n${`  ${insert};\n`.repeat(n)}APPLY BATCH`;
    batchText.set(key, text);
  }
  return text;
}

function* chunk(rows: unknown[][], limits: BatchLimits): Generator<unknown[][]> {
  let group: unknown[][] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = rowBytes(row);
    if (group.length > 0 && (group.length >= limits.maxRows || bytes + size > limits.maxBytes)) {
      yield group;
      group = [];
      bytes = 0;
    }
    group.push(row);
    bytes += size;
  }
  if (group.length > 0) yield group;
}

/**
 * Roughly what a row weighs in a batch: its text's UTF-16 length + 8 per other value. Non-ASCII text weighs up to
 * 3x that in UTF-8, which at worst trips the 5 KiB warning; the 50 KiB failure stays far away.
 */
function rowBytes(row: unknown[]): number {
  let n = 0;
  for (const v of row) n += typeof v === 'string' ? v.length : 8;
  return n;
}
