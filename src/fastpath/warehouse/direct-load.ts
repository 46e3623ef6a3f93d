import { mergeBounded } from '../../core/merge-bounded.ts';
import type { DirectJsonReader } from '../../engines/engine.ts';
import type { ObjectInfo, ObjectStore } from '../../storage/object-store.ts';
import type { StagingTable } from '../../pipelines/warehouse/staging-tables.ts';
import { directJsonInsert, directJsonKeys, directlyReadable } from './direct-json.ts';
import type { JsonFormat } from '../../pipelines/warehouse/copy/json-format.ts';
import { plainJsonCheck, type PlainCheck } from './plain-json-check-wasm.ts';

/** A COPY done by the engine reading the objects itself (see stageTable): all the rows, or why not (none then). */
export interface DirectLoad {
  load(objects: readonly ObjectInfo[]): Promise<{ rows: number } | { declined: string }>;
}

/**
 * DuckDB reading a COPY's objects itself (directJsonInsert), from a local directory or, with the httpfs extension
 * installed, from S3, while this process reads the same bytes to vouch that every record is plain (plainJsonCheck: on
 * WebAssembly when it is built): the rows are committed only then. Undefined when the format is one the statement
 * cannot express.
 */
export function duckdbDirectLoad(engine: DirectJsonReader, store: ObjectStore, table: StagingTable, into: string, format: JsonFormat, jsonPaths: string | undefined): DirectLoad | undefined {
  const keys = directJsonKeys(table.columns, format, jsonPaths);
  if (keys === undefined) return undefined;
  const types = table.columns.map((c) => c.type);
  return {
    async load(objects) {
      const unreadable = objects.find((o) => !directlyReadable(store.url(o.key)));
      if (unreadable !== undefined) return { declined: `${store.url(unreadable.key)}: a key DuckDB would not read as written (compressed, or glob or URL characters)` };
      try {
        if (store.s3 !== undefined) {
          const extension = engine.s3Extension();
          if (extension === undefined) return { declined: "DuckDB's httpfs extension is not installed (npm run duckdb-httpfs)" };
          if (store.s3Credentials === undefined) return { declined: 'the store gives no credentials for DuckDB' };
          await engine.readS3(extension, store.s3.bucket, store.s3.config, await store.s3Credentials());
        }
        const sql = directJsonInsert(table, into, keys, objects.map((o) => store.url(o.key)));
        return await engine.insertChecked(sql, notPlain(store, objects, () => plainJsonCheck(keys, types)));
      } catch (error) {
        return { declined: (error instanceof Error ? error.message : String(error)).split('\n')[0] as string };
      }
    },
  };
}

/** The first record that is not plain, with its object and line; or undefined. */
async function notPlain(store: ObjectStore, objects: readonly ObjectInfo[], checker: () => PlainCheck): Promise<string | undefined> {
  let problem: string | undefined;
  const scans = mergeBounded(objects, 4, async function* (o) {
    const scan = checker();
    for await (const chunk of store.get(o.key, o.size)) {
      if (problem !== undefined || !scan.feed(chunk)) break;
    }
    const found = scan.end();
    if (found !== undefined) yield `${store.url(o.key)}: ${found}`;
  }, 4);
  for await (const found of scans) {
    problem ??= found;
  }
  return problem;
}
