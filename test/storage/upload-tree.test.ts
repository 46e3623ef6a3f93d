import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { LocalStore } from '../../src/storage/local/local-store.ts';
import { uploadTree } from '../../src/storage/upload-tree.ts';
import { collect } from '../support/collect.ts';

test('a tree keeps its relative paths under the prefix; hidden files are skipped; a single file goes to the prefix', async (t) => {
  const base = await mkdtemp(join(tmpdir(), 'sparkify-upload-'));
  t.after(() => rm(base, { recursive: true, force: true }));
  await mkdir(join(base, 'src', 'song_data', 'A'), { recursive: true });
  await writeFile(join(base, 'src', 'song_data', 'A', 'x.json'), '{}');
  await writeFile(join(base, 'src', 'log_json_path.json'), '{"jsonpaths":[]}');
  await writeFile(join(base, 'src', '.DS_Store'), 'junk');
  const store = new LocalStore(join(base, 'dst'));
  await store.ensureRoot();
  const result = await uploadTree(join(base, 'src'), store, 'udacity-dend');
  assert.deepEqual({ files: result.files, bytes: result.bytes }, { files: 2, bytes: 18 });
  await uploadTree(join(base, 'src', 'log_json_path.json'), store, 'other/paths.json');
  await uploadTree(join(base, 'src', 'log_json_path.json'), store, 'dir/');
  assert.deepEqual((await collect(store.list(''))).map((o) => o.key), [
    'dir/log_json_path.json', 'other/paths.json', 'udacity-dend/log_json_path.json', 'udacity-dend/song_data/A/x.json',
  ]);
});
