import { inStep } from '../../core/errors.ts';
import type { SqlEngine } from '../../engines/engine.ts';
import { joinKey } from '../../storage/object-store.ts';
import { parseLocation, type Location } from '../../storage/location.ts';
import { recordErrors } from '../warehouse/apply-warehouse-load.ts';
import { extractorFor, type JsonFormat } from '../warehouse/copy/json-format.ts';
import type { LoadError } from '../warehouse/copy/load-error.ts';
import { stageTable, type StageResult } from '../warehouse/copy/stage-table.ts';
import { readObjectText, type OpenStore } from '../warehouse/read-object-text.ts';
import { stagingTableDdl } from '../warehouse/staging-ddl.ts';
import type { StagingTable } from '../warehouse/staging-tables.ts';
import type { IntervalTarget } from './interval-target.ts';

/** Where a stage step reads: every object under `key` in the store at `from`, as COPY FROM 's3://bucket/prefix' reads. */
export interface ObjectsToStage {
  /** The bucket or directory: s3://bucket[/prefix], file:///dir or a path. */
  from: string;
  /** The key (or key prefix) under it, already rendered for the run (log_data/2018/11/2018-11-01-events.json). */
  key: string;
  /** 'auto', 'auto ignorecase', or where the jsonpaths file is (read through `open`). */
  format: string;
  open: OpenStore;
  /** Names this run's rejects in load_errors. */
  loadId: string;
  /** Rejected records allowed before the step fails (Redshift's MAXERROR; default 0). */
  maxErrors?: number;
  /** Default true: the conversion's fast paths (byte scanner, worker threads) where stageTable takes them. */
  fastPaths?: boolean;
  /** Objects read at once (default 8). */
  concurrency?: number;
}

export function jsonFormat(text: string): JsonFormat {
  return text === 'auto' || text === 'auto ignorecase' ? { mode: text } : { mode: 'jsonpaths', url: text };
}

/** The store's root and the prefix under it: a local location is its directory, with the key as the prefix. */
export function keyLocation(from: string, key: string): { location: Location; prefix: string } {
  const location = parseLocation(from);
  return { location, prefix: joinKey(location.prefix, key.replace(/^\/+/, '')) };
}

/**
 * COPY, with the warehouse's Redshift semantics (copy/stage-table.ts), of every object under the key into `scratch`,
 * a table made for this run (a crashed try's is dropped first). Rejects go to load_errors under the run's load id,
 * outside any transaction, as stl_load_errors keeps them; more than MAXERROR fails the step. DuckDB's direct read
 * is not offered: it reads a whole prefix in bulk, where a run reads one day's object.
 */
export async function stageIntoScratch(engine: SqlEngine, target: IntervalTarget, table: StagingTable, scratch: string, source: ObjectsToStage): Promise<StageResult> {
  const format = jsonFormat(source.format);
  const jsonPaths = format.mode === 'jsonpaths' ? await inStep('read the jsonpaths file', () => readObjectText(parseLocation(format.url), source.open)) : undefined;
  const extract = extractorFor(format, table.columns, jsonPaths);
  await engine.exec(`DROP TABLE IF EXISTS ${scratch};\n${stagingTableDdl(target, table, scratch, false)}`);
  const { location, prefix } = keyLocation(source.from, source.key);
  const store = await source.open(location);
  const errors: LoadError[] = [];
  try {
    const result = await inStep(`COPY ${table.name}`, () => stageTable(engine, {
      table, into: scratch, store, prefix, extract, maxErrors: source.maxErrors ?? 0, concurrency: source.concurrency ?? 8,
      // Without `convert`, stageTable runs the reference path only (the switch off).
      ...(source.fastPaths === false ? {} : { convert: { table, format, ...(jsonPaths === undefined ? {} : { jsonPaths }) } }),
    }, errors));
    await recordErrors(engine, source.loadId, errors);
    return result;
  } catch (error) {
    await recordErrors(engine, source.loadId, errors);
    await engine.exec(`DROP TABLE IF EXISTS ${scratch};`);
    throw error;
  } finally {
    await store.close();
  }
}
