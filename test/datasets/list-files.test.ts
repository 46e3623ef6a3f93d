import assert from 'node:assert/strict';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { test } from 'node:test';
import { listFiles } from '../../src/datasets/list-files.ts';
import { readSongs } from '../../src/datasets/read-songs.ts';
import { MemoryQuarantine } from '../../src/datasets/quarantine.ts';
import { emptyCounts } from '../../src/datasets/source-counts.ts';
import { corpus, isSparkifyError, songFixture, tempDir, unreadableFiles } from './corpus.ts';

const run = promisify(execFile);

test('every *.json under a tree, sorted, as absolute paths', async (t) => {
  const dir = await tempDir(t);
  for (const rel of ['B/b/2.json', 'A/z.json', 'A/a/1.json', 'B/notes.txt', 'B/b/1.json.bak', 'top.json']) {
    await mkdir(join(dir, rel, '..'), { recursive: true });
    await writeFile(join(dir, rel), '{}');
  }
  assert.deepEqual(await listFiles(dir, '.json'), ['A/a/1.json', 'A/z.json', 'B/b/2.json', 'top.json'].map((rel) => join(dir, rel)));
});

test('the corpus song_data lists all its files, bad ones included (they are quarantined when read, not skipped)', async () => {
  const files = await listFiles(join(corpus, 'song_data'), '.json');
  assert.equal(files.length, 11);
  assert.ok(files.includes(songFixture('empty.json')) && files.includes(songFixture('truncated.json')));
});

test('a single file given as the root is the whole list', async () => {
  assert.deepEqual(await listFiles(songFixture('good.json'), '.json'), [songFixture('good.json')]);
});

test('a song_data-like tree with no JSON fails with SPK_E_INPUT_EMPTY', async () => {
  const root = join(corpus, 'song_data-no-json');
  await assert.rejects(listFiles(root, '.json'), isSparkifyError('SPK_E_INPUT_EMPTY', root));
});

test('an empty directory (made at test time: git cannot hold one) fails with SPK_E_INPUT_EMPTY', async (t) => {
  const root = join(await tempDir(t), 'song_data');
  await mkdir(join(root, 'A', 'B'), { recursive: true });
  await assert.rejects(listFiles(root, '.json'), isSparkifyError('SPK_E_INPUT_EMPTY', root));
});

test('a missing root fails with SPK_E_INPUT_UNREADABLE naming it', async (t) => {
  const root = join(await tempDir(t), 'nowhere');
  await assert.rejects(listFiles(root, '.json'), isSparkifyError('SPK_E_INPUT_UNREADABLE', root));
});

test('an unreadable .json file is listed, so the read fails loudly instead of the file being skipped', async (t) => {
  const dir = await tempDir(t);
  const bad = await unreadableFiles(dir);
  assert.deepEqual(await listFiles(dir, '.json'), [...bad].sort());
  const run = async () => {
    for await (const _ of readSongs(await listFiles(dir, '.json'), new MemoryQuarantine(), emptyCounts('songs')));
  };
  await assert.rejects(run(), isSparkifyError('SPK_E_INPUT_UNREADABLE'));
});

test('an unreadable sub-directory fails with SPK_E_INPUT_UNREADABLE naming it', async (t) => {
  const dir = await tempDir(t);
  const locked = join(dir, 'A');
  await mkdir(locked);
  await writeFile(join(dir, 'ok.json'), '{}');
  await chmod(locked, 0o000);
  try {
    if (process.getuid?.() !== 0) {
      await assert.rejects(listFiles(dir, '.json'), isSparkifyError('SPK_E_INPUT_UNREADABLE', locked));
      return;
    }
    // Root reads a chmod-000 directory anyway, so as root the listing runs in a child process as `nobody`,
    // where permissions apply; the child prints the error's code and path.
    await chmod(dir, 0o755);
    const script = `import { listFiles } from ${JSON.stringify(pathToFileURL(resolve(import.meta.dirname, '../../src/datasets/list-files.ts')).href)};
      try { await listFiles(${JSON.stringify(dir)}, '.json'); console.log('listed'); }
      catch (e) { console.log(JSON.stringify({ code: e.code, path: e.details?.path })); }`;
    let stdout: string;
    try {
      ({ stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { uid: 65534, gid: 65534, cwd: dir }));
    } catch (error) {
      // A checkout (or Node) that `nobody` may not read, such as one under /root, leaves nothing to run the check with.
      const failure = error as NodeJS.ErrnoException & { stderr?: string };
      if (failure.code === 'EACCES' || /EACCES|permission denied|ERR_MODULE_NOT_FOUND/i.test(failure.stderr ?? '')) {
        t.skip(`as root the check runs as nobody, who cannot read ${process.execPath} or this checkout`);
        return;
      }
      throw error;
    }
    assert.deepEqual(JSON.parse(stdout), { code: 'SPK_E_INPUT_UNREADABLE', path: locked });
  } finally {
    await chmod(locked, 0o755); // so the temp dir can be removed by a user who is not root
  }
});
