import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { SparkifyError } from '../../../src/core/errors.ts';
import { acquireLakeLock, lockName } from '../../../src/pipelines/lake/lake-lock.ts';
import { LocalStore } from '../../../src/storage/local/local-store.ts';
import type { ObjectStore } from '../../../src/storage/object-store.ts';
import { bucketStore, testBucket } from '../../support/s3.ts';

/** Each case on a directory and on the S3 server (versitygw): the lock is only as good as each store's conditional writes. */
const stores: [string, (t: TestContext) => Promise<ObjectStore | undefined>][] = [
  ['a directory', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'sparkify-lake-lock-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    return new LocalStore(dir);
  }],
  ['S3', async (t) => {
    const bucket = await testBucket(t);
    return bucket && bucketStore(t, bucket);
  }],
];

const staleLock = (leaseMs: number) => JSON.stringify({ format: 'sparkify-lake-lock/1', owner: 'killed', host: 'elsewhere', pid: 1, acquiredAt: 'then',
  renewedAt: 'then', leaseMs, renewals: 0 });

for (const [name, open] of stores) {
  describe(`the lake's lock on ${name}`, () => {
    test('conditional writes: a second create is refused, a swap or delete with a stale tag is refused', async (t) => {
      const store = await open(t);
      if (!store) return;
      const first = await store.putIfAbsent('x/k.json', 'one');
      assert.ok(first);
      assert.equal(await store.putIfAbsent('x/k.json', 'two'), undefined);
      const second = await store.putIfMatch('x/k.json', 'three', first);
      assert.ok(second && second !== first);
      assert.equal(await store.putIfMatch('x/k.json', 'four', first), undefined);
      assert.equal(await store.deleteIfMatch('x/k.json', first), false);
      assert.equal((await store.getTagged('x/k.json'))?.body.toString(), 'three');
      assert.equal(await store.deleteIfMatch('x/k.json', second), true);
      assert.equal(await store.getTagged('x/k.json'), undefined);
      assert.equal(await store.putIfMatch('x/k.json', 'five', second), undefined, 'no swap of an object that is gone');
      assert.deepEqual((await Promise.all([1, 2, 3, 4].map((i) => store.putIfAbsent('x/race.json', `${i}`)))).filter(Boolean).length, 1, 'one of four creates at once');
    });

    test('a live holder renews its lease: a waiter says once that it waits, then gives up with SPK_E_LOCKED', async (t) => {
      const store = await open(t);
      if (!store) return;
      // A lease far shorter than the wait: only the holder's renewals keep the waiter out.
      const holder = await acquireLakeLock(store, 'lake', { wait: { ms: 0 }, leaseMs: 200, owner: 'holder' });
      const said: string[] = [];
      await assert.rejects(acquireLakeLock(store, 'lake', { wait: { ms: 1_200, waiting: (w) => said.push(w) }, leaseMs: 200, owner: 'waiter' }),
        (e: unknown) => e instanceof SparkifyError && e.code === 'SPK_E_LOCKED' && e.retryable && /another lake build .* holds .*_lock\.json/.test(e.message));
      assert.equal(said.length, 1);
      await holder.check();
      await holder.release();
      assert.equal(await store.getTagged(`lake/${lockName}`), undefined, 'released');
      const next = await acquireLakeLock(store, 'lake', { wait: { ms: 0 }, leaseMs: 200, owner: 'next' });
      await next.release();
    });

    test("a lapsed lease (its holder killed) is taken over by one waiter at a time; the one taken over learns it lost", async (t) => {
      const store = await open(t);
      if (!store) return;
      assert.ok(await store.putIfAbsent(`lake/${lockName}`, staleLock(300)));
      let inside = 0;
      let most = 0;
      const order: string[] = [];
      await Promise.all(['a', 'b', 'c'].map(async (owner) => {
        const lock = await acquireLakeLock(store, 'lake', { wait: { ms: 20_000 }, leaseMs: 300, owner });
        most = Math.max(most, ++inside);
        order.push(owner);
        await new Promise((r) => setTimeout(r, 100)); // holds it while the others poll and try to take it over
        await lock.check();
        inside--;
        await lock.release();
      }));
      assert.equal(most, 1, 'never two holders at once');
      assert.equal(order.length, 3);

      // A holder that stopped renewing (paused) and was taken over cannot commit: check() says so.
      const paused = await acquireLakeLock(store, 'lake', { wait: { ms: 0 }, leaseMs: 60_000, owner: 'paused' });
      const lock = await store.getTagged(`lake/${lockName}`);
      assert.ok(lock);
      assert.ok(await store.putIfMatch(`lake/${lockName}`, staleLock(300), lock.etag), 'another build took it over');
      await assert.rejects(paused.check(), /was taken over by another build/);
      await paused.release();
      assert.match((await store.getTagged(`lake/${lockName}`))?.body.toString() ?? '', /killed/, "release leaves the new holder's lock alone");
    });
  });
}
