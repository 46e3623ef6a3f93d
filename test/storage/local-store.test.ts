import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { collect } from '../support/collect.ts';
import { SparkifyError } from '../../src/core/errors.ts';
import { LocalStore } from '../../src/storage/local/local-store.ts';

async function setup(t: TestContext): Promise<{ base: string; root: string; outside: string; store: LocalStore }> {
  const base = await mkdtemp(join(tmpdir(), 'sparkify-local-store-'));
  t.after(() => rm(base, { recursive: true, force: true }));
  const root = join(base, 'root');
  const outside = join(base, 'outside');
  await mkdir(root);
  await mkdir(outside);
  await writeFile(join(outside, 'secret.json'), '{"secret":true}');
  return { base, root, outside, store: new LocalStore(root) };
}

const text = async (chunks: AsyncIterable<Uint8Array>) => {
  const parts: Uint8Array[] = [];
  for await (const c of chunks) parts.push(c);
  return Buffer.concat(parts).toString('utf8');
};
const keys = async (store: LocalStore, prefix: string) => (await collect(store.list(prefix))).map((o) => o.key);
const unsafe = (e: unknown) => e instanceof SparkifyError && e.code === 'SPK_E_UNSAFE_PATH';

test('put, get and list by prefix, in key order, with sizes', async (t) => {
  const { store } = await setup(t);
  await store.put('log_data/2018/11/b.json', '{"b":2}\n');
  await store.put('log_data/2018/11/a.json', Buffer.from('{"a":1}\n'));
  await store.put('song_data/A/x.json', () => (async function* () { yield Buffer.from('{"song"'); yield Buffer.from(':1}'); })());
  assert.deepEqual(await collect(store.list('log_data/')), [
    { key: 'log_data/2018/11/a.json', size: 8 },
    { key: 'log_data/2018/11/b.json', size: 8 },
  ]);
  assert.deepEqual(await keys(store, ''), ['log_data/2018/11/a.json', 'log_data/2018/11/b.json', 'song_data/A/x.json']);
  assert.deepEqual(await keys(store, 'song'), ['song_data/A/x.json']);
  assert.deepEqual(await keys(store, 'log_data/2018/11/a'), ['log_data/2018/11/a.json']);
  assert.deepEqual(await keys(store, 'nothing/here/'), []);
  assert.equal(await text(store.get('song_data/A/x.json')), '{"song":1}');
  await store.put('log_data/2018/11/a.json', 'replaced');
  assert.equal(await text(store.get('log_data/2018/11/a.json')), 'replaced');
  // Writes go through a temporary file that is renamed: none is left behind.
  assert.deepEqual(await readdir(join(store.root, 'log_data', '2018', '11')), ['a.json', 'b.json']);
});

test('keys with .., absolute paths or empty segments are refused before touching the disk', async (t) => {
  const { store, outside } = await setup(t);
  for (const key of ['../outside/secret.json', 'a/../../outside/secret.json', '/etc/passwd', join(outside, 'secret.json'), 'a//b', './a', 'a\\..\\b', '']) {
    await assert.rejects(text(store.get(key)), unsafe, `get ${key}`);
    await assert.rejects(store.put(key, 'x'), unsafe, `put ${key}`);
  }
  await assert.rejects(collect(store.list('../outside/')), unsafe);
  assert.deepEqual(await readdir(outside), ['secret.json']);
});

test('a symbolic link to a file outside the root can be neither read nor listed', async (t) => {
  const { store, root, outside } = await setup(t);
  await symlink(join(outside, 'secret.json'), join(root, 'innocent.json'));
  await assert.rejects(text(store.get('innocent.json')), unsafe);
  await assert.rejects(collect(store.list('')), unsafe);
});

test('a symbolic link to a directory outside the root can be neither listed nor written through', async (t) => {
  const { store, root, outside } = await setup(t);
  await symlink(outside, join(root, 'data'));
  await assert.rejects(collect(store.list('data/')), unsafe);
  await assert.rejects(text(store.get('data/secret.json')), unsafe);
  await assert.rejects(store.put('data/planted.json', '{}'), unsafe);
  await assert.rejects(store.put('data/deeper/planted.json', '{}'), unsafe);
  assert.deepEqual(await readdir(outside), ['secret.json']);
});

test('links that stay inside the root work; putting over a link replaces the link, not its target', async (t) => {
  const { store, root, outside } = await setup(t);
  await store.put('real/a.json', '{"a":1}');
  await symlink(join(root, 'real', 'a.json'), join(root, 'alias.json'));
  assert.equal(await text(store.get('alias.json')), '{"a":1}');
  assert.deepEqual(await keys(store, ''), ['alias.json', 'real/a.json']);
  // A link planted at the target key that points outside is replaced, never followed.
  await symlink(join(outside, 'secret.json'), join(root, 'trap.json'));
  await store.put('trap.json', 'mine');
  assert.equal(await readFile(join(outside, 'secret.json'), 'utf8'), '{"secret":true}');
  assert.equal(await text(store.get('trap.json')), 'mine');
});

test('a missing object or root fails with SPK_E_INPUT_UNREADABLE naming it', async (t) => {
  const { store, base } = await setup(t);
  await assert.rejects(text(store.get('nope.json')), (e: unknown) => e instanceof SparkifyError && e.code === 'SPK_E_INPUT_UNREADABLE' && /nope\.json/.test(e.message));
  const missing = new LocalStore(join(base, 'no-such-root'));
  await assert.rejects(collect(missing.list('')), (e: unknown) => e instanceof SparkifyError && e.code === 'SPK_E_INPUT_UNREADABLE');
  await missing.ensureRoot();
  assert.ok(existsSync(join(base, 'no-such-root')));
});
