import assert from 'node:assert/strict';
import { test } from 'node:test';
import { collect } from '../support/collect.ts';
import { S3Store } from '../../src/storage/s3/s3-store.ts';
import { requireDataset, sample } from '../support/datasets.ts';
import { runCli } from '../support/run-cli.ts';
import { bucketStore, testBucket } from '../support/s3.ts';

test('s3 upload publishes the sample in the course bucket layout', async (t) => {
  if (!requireDataset(t, sample.root)) return;
  const bucket = await testBucket(t);
  if (!bucket) return;
  const result = await runCli(['s3', 'upload', sample.root, `${bucket.url}/udacity-dend`, '--json'], bucket.env);
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  assert.equal(report.destination, `${bucket.url}/udacity-dend`);
  const store = await bucketStore(t, bucket);
  const keys = (await collect(store.list('udacity-dend/'))).map((o) => o.key);
  assert.equal(report.files, keys.length);
  assert.equal(keys.filter((k) => k.startsWith('udacity-dend/song_data/')).length, 71);
  assert.equal(keys.filter((k) => k.startsWith('udacity-dend/log_data/')).length, 30);
  assert.ok(keys.includes('udacity-dend/log_json_path.json'));
  assert.ok(keys.includes('udacity-dend/log_data/2018/11/2018-11-01-events.json'));
  assert.ok(keys.some((k) => /^udacity-dend\/song_data\/A\/A\/A\/TR[A-Z0-9]+\.json$/.test(k)));
});

test('s3 upload: a bucket that does not exist is an error unless --create-bucket', async (t) => {
  if (!requireDataset(t, sample.root)) return;
  const bucket = await testBucket(t);
  if (!bucket) return;
  const fresh = `${bucket.bucket}-new`;
  const missing = await runCli(['s3', 'upload', sample.logs, `s3://${fresh}/log_data`], bucket.env);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no such bucket/);
  const created = await runCli(['s3', 'upload', sample.logs, `s3://${fresh}/log_data`, '--create-bucket'], bucket.env);
  assert.equal(created.code, 0, created.stderr);
  assert.match(created.stdout, /│ +30 │/);
  const store = new S3Store(fresh, bucket.config);
  t.after(async () => {
    const { DeleteBucketCommand, DeleteObjectsCommand, S3Client } = await import('@aws-sdk/client-s3');
    const client = new S3Client({ region: 'us-east-1', endpoint: bucket.config.endpoint, forcePathStyle: true, credentials: bucket.config.credentials });
    const keys = (await collect(store.list(''))).map((o) => ({ Key: o.key }));
    await client.send(new DeleteObjectsCommand({ Bucket: fresh, Delete: { Objects: keys } }));
    await client.send(new DeleteBucketCommand({ Bucket: fresh }));
    client.destroy();
    await store.close();
  });
  assert.equal((await collect(store.list('log_data/'))).length, 30);
});

test('s3 upload: bad destinations and endpoints are option errors (exit 2)', async () => {
  const bad = await runCli(['s3', 'upload', '.', 's3://Not_A_Bucket/x']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /invalid S3 bucket name/);
  const endpoint = await runCli(['s3', 'upload', '.', 's3://bucket-x/x', '--endpoint', 'ftp://nope']);
  assert.equal(endpoint.code, 2);
  assert.match(endpoint.stderr, /--endpoint/);
});
