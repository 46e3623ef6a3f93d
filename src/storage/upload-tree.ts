import { createReadStream, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import { forEachBounded } from '../core/bounded.ts';
import { SparkifyError, unreadableInput } from '../core/errors.ts';
import { readDirectory } from '../core/read-directory.ts';
import { silentProgress, type Progress } from '../core/progress.ts';
import { joinKey, type ObjectStore } from './object-store.ts';

export interface UploadResult {
  files: number;
  bytes: number;
  seconds: number;
}

const contentTypes: Record<string, string> = { '.json': 'application/json', '.csv': 'text/csv', '.gz': 'application/gzip' };

/**
 * Publishes every file under `dir` as `<prefix>/<relative path>` — the layout of the course's public bucket
 * (song_data/A/B/C/TR….json, log_data/2018/11/…, log_json_path.json) — with at most `concurrency` uploads in
 * flight. Hidden files and directories are skipped. `dir` may also be a single file. A failed upload fails the run after the ones in flight end.
 */
export async function uploadTree(
  dir: string,
  store: ObjectStore,
  prefix: string,
  concurrency = 8,
  progress: Progress = silentProgress,
  now: () => number = performance.now.bind(performance),
): Promise<UploadResult> {
  const started = now();
  const root = resolve(dir);
  const files = await listTree(root);
  if (files.length === 0) throw new SparkifyError('SPK_E_INPUT_EMPTY', `no files under ${root}`, { details: { path: root } });
  let bytes = 0;
  let done = 0;
  await forEachBounded(files, concurrency, async (file) => {
    const name = relative(root, file.path).split(sep).join('/');
    // A single file goes to the prefix itself (s3://b/dir/name.json), or under it when the prefix ends with '/'.
    const key = name === '' ? (prefix === '' || prefix.endsWith('/') ? `${prefix}${basename(file.path)}` : prefix) : joinKey(prefix, name);
    const type = contentTypes[file.path.slice(file.path.lastIndexOf('.'))];
    await store.put(key, () => createReadStream(file.path), type ? { contentType: type } : {});
    bytes += file.size;
    progress.update(`uploading to ${store.description}`, ++done, files.length);
  });
  return { files: files.length, bytes, seconds: (now() - started) / 1000 };
}

async function listTree(root: string): Promise<{ path: string; size: number }[]> {
  const info = await stat(root).catch((cause: unknown) => {
    throw unreadableInput(root, cause);
  });
  if (!info.isDirectory()) return [{ path: root, size: info.size }];
  const out: { path: string; size: number }[] = [];
  const walk = (dir: string): void => {
    for (const entry of readDirectory(dir)) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) out.push({ path, size: fileSize(path) });
    }
  };
  walk(root);
  return out.sort((a, b) => (a.path < b.path ? -1 : 1));
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch (cause) {
    throw unreadableInput(path, cause);
  }
}
