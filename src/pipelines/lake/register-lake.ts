import { mkdir } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { SparkifyError } from '../../core/errors.ts';
import type { LakeEngine } from '../../engines/lake-engine.ts';
import { logEventFields } from '../../datasets/schemas.ts';
import type { Location } from '../../storage/location.ts';
import type { ObjectStore } from '../../storage/object-store.ts';
import { readManifest } from './lake-manifest.ts';
import { recordColumns } from './lake-tables.ts';
import { localFiles } from './stage-records.ts';

export interface RegisteredLake {
  /** The lake's tables, by name, as of this manifest version (undefined: no lake given). */
  version?: string;
  tables: { name: string; rows: number; partitions: number }[];
  /** `log_data`, when the raw logs were given. */
  views: string[];
}

/**
 * Registers in `engine` the lake's tables by name (`songs`, `artists`, …), exactly the files of its manifest (a
 * version a build is still writing is not seen), and `log_data`, a view over the raw JSON logs read as they are.
 * S3 objects are copied to `spool` first (Hive folders kept).
 */
export async function registerLake(engine: LakeEngine, stores: { lake?: [ObjectStore, Location]; logs?: [ObjectStore, Location] }, spool: string): Promise<RegisteredLake> {
  const registered: RegisteredLake = { tables: [], views: [] };
  if (stores.lake) {
    const [store, location] = stores.lake;
    const manifest = await readManifest(store, location.prefix);
    if (manifest === undefined) {
      throw new SparkifyError('SPK_E_INPUT_UNREADABLE', `no lake at ${store.url(location.prefix)}: no _manifest.json (run sparkify lake build first)`);
    }
    registered.version = manifest.version;
    for (const [name, table] of Object.entries(manifest.tables)) {
      const files: string[] = [];
      for (const p of table.partitions) {
        for (const f of p.files) files.push(store.kind === 'local' ? store.url(f.key) : await download(store, f.key, join(spool, 'lake', f.key)));
      }
      await engine.viewParquet(name, files, table.columns, table.partitionBy);
      registered.tables.push({ name, rows: table.partitions.reduce((n, p) => n + p.rows, 0), partitions: table.partitions.length });
    }
  }
  if (stores.logs) {
    const [store, location] = stores.logs;
    const files = await localFiles(store, location, '.json', join(spool, 'input'));
    await engine.viewJsonLines('log_data', [...files.keys()].sort(), recordColumns(logEventFields));
    registered.views.push('log_data');
  }
  return registered;
}

async function download(store: ObjectStore, key: string, path: string): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  await pipeline(Readable.from(store.get(key)), createWriteStream(path));
  return path;
}
