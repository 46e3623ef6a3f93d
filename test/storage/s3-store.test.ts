import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, connect, type Socket } from 'node:net';
import { test, type TestContext } from 'node:test';
import { collect } from '../support/collect.ts';
import { SparkifyError } from '../../src/core/errors.ts';
import { S3Store } from '../../src/storage/s3/s3-store.ts';
import { objectUrl } from '../../src/fastpath/s3/signed-get.ts';
import { testBucket } from '../support/s3.ts';

const noWait = { sleep: async () => {} };
const bytesOf = async (chunks: AsyncIterable<Uint8Array>) => {
  const parts: Uint8Array[] = [];
  for await (const c of chunks) parts.push(c);
  return Buffer.concat(parts);
};
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function storeFor(t: TestContext, overrides: Partial<import('../../src/storage/s3/s3-config.ts').S3Config> = {}) {
  const bucket = await testBucket(t);
  if (!bucket) return undefined;
  const store = new S3Store(bucket.bucket, { ...bucket.config, ...overrides }, noWait);
  t.after(() => store.close());
  return { bucket, store };
}

test('put, get and paginated list against the real S3 server', async (t) => {
  const s = await storeFor(t, { listPageSize: 7 });
  if (!s) return;
  const names = Array.from({ length: 23 }, (_, i) => `log_data/2018/11/2018-11-${String(i + 1).padStart(2, '0')}-events.json`);
  await Promise.all(names.map((k, i) => s.store.put(k, `{"i":${i}}\n`, { contentType: 'application/json' })));
  await s.store.put('song_data/A/A/A/TRAAAAW128F429D538.json', '{"song_id":"S"}');
  const listed = await collect(s.store.list('log_data/'));
  assert.deepEqual(listed.map((o) => o.key), names);
  assert.equal(listed[9]?.size, '{"i":9}\n'.length);
  assert.equal((await bytesOf(s.store.get(names[5] as string))).toString(), '{"i":5}\n');
  assert.deepEqual((await collect(s.store.list(''))).length, 24);
  assert.deepEqual(await collect(s.store.list('event_data/')), []);
  assert.equal(s.store.url('song_data/x.json'), `s3://${s.bucket.bucket}/song_data/x.json`);
});

test('a large streamed body goes up as a multipart upload and comes back byte for byte', async (t) => {
  const s = await storeFor(t, { partSize: 5 * 1024 * 1024 });
  if (!s) return;
  const data = randomBytes(13 * 1024 * 1024 + 17);
  await s.store.put('big/object.bin', () => (async function* () {
    for (let i = 0; i < data.length; i += 1 << 20) yield data.subarray(i, i + (1 << 20));
  })());
  const back = await bytesOf(s.store.get('big/object.bin'));
  assert.equal(back.length, data.length);
  assert.equal(sha(back), sha(data));
});

test('a download cut mid-way resumes from where it stopped (Range + If-Match) and yields every byte once', async (t) => {
  const s = await storeFor(t);
  if (!s) return;
  const data = randomBytes(6 * 1024 * 1024);
  await s.store.put('cut/object.bin', data);
  const upstream = new URL(s.bucket.config.endpoint as string);
  const proxy = await cuttingProxy(Number(upstream.port), 2 * 1024 * 1024);
  t.after(() => proxy.close());
  const viaProxy = new S3Store(s.bucket.bucket, { ...s.bucket.config, endpoint: `http://127.0.0.1:${proxy.port}` }, noWait);
  t.after(() => viaProxy.close());
  const back = await bytesOf(viaProxy.get('cut/object.bin'));
  assert.equal(proxy.cuts(), 1, 'the proxy cut the first download');
  assert.equal(back.length, data.length);
  assert.equal(sha(back), sha(data));
});

test('missing objects, missing buckets and bad keys are clear, non-retryable errors', async (t) => {
  const s = await storeFor(t);
  if (!s) return;
  await assert.rejects(bytesOf(s.store.get('nope.json')), (e: unknown) =>
    e instanceof SparkifyError && e.code === 'SPK_E_INPUT_UNREADABLE' && e.message.includes(`s3://${s.bucket.bucket}/nope.json: no such object`));
  const noBucket = new S3Store('no-such-bucket-here', s.bucket.config, noWait);
  t.after(() => noBucket.close());
  await assert.rejects(collect(noBucket.list('')), (e: unknown) => e instanceof SparkifyError && /no such bucket/.test(e.message));
  const wrongKeys = new S3Store(s.bucket.bucket, { ...s.bucket.config, credentials: { accessKeyId: 'WRONG', secretAccessKey: 'wrong' } }, noWait);
  t.after(() => wrongKeys.close());
  await assert.rejects(collect(wrongKeys.list('')), (e: unknown) =>
    e instanceof SparkifyError && e.code === 'SPK_E_STORAGE' && !e.retryable && /access denied/.test(e.message));
});

test('an unreachable endpoint is retried, then fails as a retryable storage error', async (t) => {
  const closed = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const port = (probe.address() as { port: number }).port;
      probe.close(() => resolve(port));
    });
  });
  let sleeps = 0;
  const store = new S3Store('any-bucket', { region: 'us-east-1', endpoint: `http://127.0.0.1:${closed}`, credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, attempts: 3 }, { sleep: async () => void sleeps++ });
  t.after(() => store.close());
  await assert.rejects(collect(store.list('')), (e: unknown) => e instanceof SparkifyError && e.code === 'SPK_E_STORAGE' && e.retryable);
  assert.equal(sleeps, 2);
});

test('small objects told their size come in one signed GET: same bytes for awkward keys, same errors as the SDK path', async (t) => {
  const s = await storeFor(t);
  if (!s) return;
  const keys = ['song_data/A/B/C/TRABCEI128F424C983.json', "odd keys/with space+plus!'()*~&=;.json", 'unicode/Beyoncé – Halo.json', 'deep/a/b/c/d/e.json'];
  const bodies = keys.map((k, i) => Buffer.from(`{"key":${JSON.stringify(k)},"i":${i}}\n`));
  await Promise.all(keys.map((k, i) => s.store.put(k, bodies[i] as Buffer)));
  const listed = await collect(s.store.list(''));
  assert.equal(listed.length, keys.length);
  for (const o of listed) {
    const want = bodies[keys.indexOf(o.key)] as Buffer;
    const chunks: Uint8Array[] = await collect(s.store.get(o.key, o.size));
    assert.equal(chunks.length, 1, 'one request, one chunk');
    assert.deepEqual(Buffer.from(chunks[0] as Uint8Array), want);
    assert.deepEqual(await bytesOf(s.store.get(o.key)), want, 'and the same bytes as the SDK streaming GET');
  }
  const big = randomBytes(1024 * 1024 + 1);
  await s.store.put('big.bin', big);
  assert.equal(sha(await bytesOf(s.store.get('big.bin', big.length))), sha(big), 'over 1 MiB: the streaming GET');
  await assert.rejects(bytesOf(s.store.get('nope.json', 10)), (e: unknown) =>
    e instanceof SparkifyError && e.code === 'SPK_E_INPUT_UNREADABLE' && e.message.includes(`s3://${s.bucket.bucket}/nope.json: no such object`) && !e.retryable);
  const wrongKeys = new S3Store(s.bucket.bucket, { ...s.bucket.config, credentials: { accessKeyId: s.bucket.config.credentials?.accessKeyId ?? '', secretAccessKey: 'wrong' } }, noWait);
  t.after(() => wrongKeys.close());
  await assert.rejects(bytesOf(wrongKeys.get(keys[0] as string, 10)), (e: unknown) =>
    e instanceof SparkifyError && e.code === 'SPK_E_STORAGE' && !e.retryable && /access denied \(SignatureDoesNotMatch/.test(e.message));
});

test('signed GETs address AWS buckets virtual-hosted, dotted ones and endpoint overrides path-style', () => {
  assert.equal(objectUrl({ region: 'us-west-2' }, 'udacity-dend', 'song_data/A/x y.json').href, 'https://udacity-dend.s3.us-west-2.amazonaws.com/song_data/A/x%20y.json');
  assert.equal(objectUrl({ region: 'eu-west-1' }, 'my.dotted.bucket', "a/it's(1).json").href, "https://s3.eu-west-1.amazonaws.com/my.dotted.bucket/a/it%27s%281%29.json");
  assert.equal(objectUrl({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9000' }, 'b', 'k/é.json').href, 'http://127.0.0.1:9000/b/k/%C3%A9.json');
});

/** A TCP proxy that cuts the first connection whose response passes `cutAfter` bytes. */
async function cuttingProxy(upstreamPort: number, cutAfter: number): Promise<{ port: number; cuts: () => number; close: () => Promise<void> }> {
  let cuts = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(upstreamPort, '127.0.0.1');
    sockets.add(client);
    let sent = 0;
    client.on('data', (d) => upstream.write(d));
    upstream.on('data', (d: Buffer) => {
      sent += d.length;
      if (cuts === 0 && sent > cutAfter) {
        cuts++;
        client.write(d.subarray(0, d.length - (sent - cutAfter)));
        client.destroy();
        upstream.destroy();
        return;
      }
      client.write(d);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // Kept-alive idle connections would hold close() open forever: end them first.
  const close = () => new Promise<void>((resolve) => {
    server.close(() => resolve());
    sockets.forEach((s) => s.destroy());
  });
  return { port: (server.address() as { port: number }).port, cuts: () => cuts, close };
}
