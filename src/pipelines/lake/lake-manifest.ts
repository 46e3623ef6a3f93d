import { SparkifyError } from '../../core/errors.ts';
import type { LakeColumn } from '../../engines/lake-engine.ts';
import { joinKey, type ObjectStore } from '../../storage/object-store.ts';

/**
 * The lake's commit point (docs/decisions/2026-12-07-lake-layout.md): `_manifest.json` names every file of every
 * table's current version. It is written in one PUT after the files, so a reader that goes through it sees the
 * previous version or the next, never a half-written partition.
 */
export interface LakeManifest {
  format: 'sparkify-lake/1';
  /** The run that wrote this version. */
  version: string;
  committedAt: string;
  tables: Record<string, ManifestTable>;
}

export interface ManifestTable {
  columns: LakeColumn[];
  partitionBy: string[];
  /** Sorted by path; an unpartitioned table has one partition, path ''. */
  partitions: ManifestPartition[];
}

export interface ManifestPartition {
  /** Hive folders: `year=2018/month=11`. */
  path: string;
  /** The run that wrote this partition's files. */
  version: string;
  rows: number;
  files: { key: string; rows: number; bytes: number }[];
}

export const manifestName = '_manifest.json';
export const successName = '_SUCCESS';

/** The manifest under `prefix`, or undefined when there is no lake there yet. */
export async function readManifest(store: ObjectStore, prefix: string): Promise<LakeManifest | undefined> {
  const key = joinKey(prefix, manifestName);
  let found = false;
  try {
    for await (const o of store.list(key)) if (o.key === key) found = true;
  } catch (error) {
    // No directory or bucket there yet: no lake yet. Anything else (credentials, the network) is the caller's to see.
    if (error instanceof SparkifyError && error.code === 'SPK_E_INPUT_UNREADABLE') return undefined;
    throw error;
  }
  if (!found) return undefined;
  const chunks: Uint8Array[] = [];
  for await (const chunk of store.get(key)) chunks.push(chunk);
  try {
    const manifest = JSON.parse(Buffer.concat(chunks).toString('utf8')) as LakeManifest;
    if (manifest.format !== 'sparkify-lake/1') throw new Error(`unknown format ${JSON.stringify(manifest.format)}`);
    return manifest;
  } catch (cause) {
    throw new SparkifyError('SPK_E_INPUT_UNREADABLE', `the lake's manifest ${store.url(key)} cannot be read`, { cause, details: { path: store.url(key) } });
  }
}

/** Every file the manifest names. */
export function manifestKeys(manifest: LakeManifest | undefined): Set<string> {
  const keys = new Set<string>();
  for (const table of Object.values(manifest?.tables ?? {})) for (const p of table.partitions) for (const f of p.files) keys.add(f.key);
  return keys;
}
