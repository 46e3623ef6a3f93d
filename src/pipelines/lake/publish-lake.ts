import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { Progress } from '../../core/progress.ts';
import type { WrittenFile } from '../../engines/lake-engine.ts';
import { joinKey, type ObjectStore } from '../../storage/object-store.ts';
import { manifestKeys, manifestName, readManifest, successName, type LakeManifest, type ManifestPartition } from './lake-manifest.ts';
import { monthPartition, type LakePlan } from './lake-plan.ts';

/** What one run wrote to its local staging directory, per table (`<staging>/<table>/<partition>/<file>`). */
export interface StagedTable {
  name: string;
  files: WrittenFile[];
}

export interface PublishResult {
  version: string;
  uploaded: number;
  bytes: number;
  /** Files of the previous version the new one no longer names, deleted after the commit. */
  deleted: number;
  /** Files no manifest named (left by a run that failed before its commit), deleted first. */
  swept: number;
  manifest: LakeManifest;
}

/**
 * Publishes a run's files on a store with no rename (docs/decisions/2026-12-07-lake-layout.md): leftovers of failed
 * runs are swept; the new files go beside the current ones under names of their own run; the manifest is written in
 * one PUT (the commit), then `_SUCCESS`; only then are the files of the replaced partitions deleted. A failure before
 * the manifest's PUT leaves the previous version whole; one after it, only files to sweep next time.
 */
export async function publishLake(plan: LakePlan, store: ObjectStore, prefix: string, staging: string, staged: readonly StagedTable[],
  run: { version: string; now: () => Date; progress: Progress; stillHeld?: () => Promise<void> }): Promise<PublishResult> {
  await store.ensureRoot();
  // The lake's lock, renewed (and checked still ours) before the first delete and again right before the commit.
  await run.stillHeld?.();
  const previous = await readManifest(store, prefix);
  const current = manifestKeys(previous);
  let swept = 0;
  for (const table of plan.tables) {
    for await (const o of store.list(joinKey(prefix, `${table.name}/`))) {
      if (current.has(o.key) || !o.key.endsWith('.parquet')) continue;
      await store.delete(o.key);
      swept++;
    }
  }

  const total = staged.reduce((n, t) => n + t.files.length, 0);
  const started = Date.now();
  let uploaded = 0;
  let bytes = 0;
  const tables: LakeManifest['tables'] = { ...(previous?.tables ?? {}) };
  for (const table of staged) {
    const spec = plan.tables.find((t) => t.name === table.name);
    if (spec === undefined) throw new Error(`staged table ${table.name} is not in the plan`);
    const partitions = new Map<string, ManifestPartition>();
    for (const file of table.files) {
      const slash = file.path.lastIndexOf('/');
      const path = slash === -1 ? '' : file.path.slice(0, slash);
      const partition = partitions.get(path) ?? { path, version: run.version, rows: 0, files: [] };
      partition.rows += file.rows;
      partition.files.push({ key: joinKey(prefix, `${table.name}/${file.path}`), rows: file.rows, bytes: file.bytes });
      partitions.set(path, partition);
    }
    // A few PUTs at once: a table such as songs (one partition per artist) is thousands of small files.
    await inParallel(table.files, uploads, async (file) => {
      await store.put(joinKey(prefix, `${table.name}/${file.path}`), () => createReadStream(join(staging, table.name, file.path)), { contentType: 'application/vnd.apache.parquet' });
      uploaded++;
      bytes += file.bytes;
      const seconds = (Date.now() - started) / 1000;
      run.progress.update(`publishing ${table.name} (${(bytes / 1e6 / Math.max(seconds, 0.001)).toFixed(1)} MB/s)`, uploaded, total);
    });
    // A full build replaces the table; a run over an interval, exactly its months (present or now empty).
    const months = plan.interval ? new Set(plan.interval.months.map(monthPartition)) : undefined;
    const kept = months ? (previous?.tables[table.name]?.partitions ?? []).filter((p) => !months.has(p.path)) : [];
    tables[table.name] = {
      columns: spec.columns,
      partitionBy: spec.partitionBy,
      partitions: [...kept, ...partitions.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    };
  }

  await run.stillHeld?.();
  const manifest: LakeManifest = { format: 'sparkify-lake/1', version: run.version, committedAt: run.now().toISOString(), tables };
  await store.put(joinKey(prefix, manifestName), `${JSON.stringify(manifest, null, 2)}\n`, { contentType: 'application/json' });
  await store.put(joinKey(prefix, successName), `${run.version}\n`);

  const named = manifestKeys(manifest);
  let deleted = 0;
  for (const key of current) {
    if (named.has(key)) continue;
    await store.delete(key);
    deleted++;
  }
  return { version: run.version, uploaded, bytes, deleted, swept, manifest };
}

/** Files PUT at once. */
const uploads = 8;

/** `fn` over `items`, at most `limit` at a time; the first failure stops the rest and is thrown once they settle. */
async function inParallel<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const item = items[next++] as T;
      try {
        await fn(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const results = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, worker));
  const failure = results.find((r) => r.status === 'rejected');
  if (failure) throw (failure as PromiseRejectedResult).reason;
}
