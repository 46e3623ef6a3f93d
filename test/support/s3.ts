import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { after, type TestContext } from 'node:test';
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { S3Config } from '../../src/storage/s3/s3-config.ts';
import { S3Store } from '../../src/storage/s3/s3-store.ts';
import { uploadTree } from '../../src/storage/upload-tree.ts';

/**
 * Per-file buckets on the S3-compatible server that `npm test` (scripts/test.ts) starts and announces in
 * SPARKIFY_TEST_S3_ENDPOINT (+ _ACCESS_KEY_ID, _SECRET_ACCESS_KEY). Without it, CI=true fails the test;
 * elsewhere the test is skipped with a loud message.
 */
export const s3EndpointVariable = 'SPARKIFY_TEST_S3_ENDPOINT';

export interface TestBucket {
  bucket: string;
  /** s3://<bucket> */
  url: string;
  config: S3Config;
  /** The same settings as CLI environment variables, for runCli. */
  env: Record<string, string>;
  /** Empties and deletes the bucket (idempotent; also runs after the owner ends). */
  drop(): Promise<void>;
}

export interface BucketOwner {
  name?: string;
  filePath?: string | undefined;
  after?: (fn: () => Promise<void>) => void;
  skip?: (message?: string) => void;
}

export function testS3Config(): S3Config | undefined {
  const endpoint = process.env[s3EndpointVariable];
  const accessKeyId = process.env.SPARKIFY_TEST_S3_ACCESS_KEY_ID;
  const secretAccessKey = process.env.SPARKIFY_TEST_S3_SECRET_ACCESS_KEY;
  if (!endpoint || !accessKeyId || !secretAccessKey) return undefined;
  return { region: 'us-east-1', endpoint, credentials: { accessKeyId, secretAccessKey }, attempts: 3 };
}

export async function testBucket(owner: BucketOwner, name?: string): Promise<TestBucket | undefined> {
  const config = testS3Config();
  if (!config?.credentials || !config.endpoint) {
    const message = `S3 tests need ${s3EndpointVariable} and its keys (run them with \`npm test\`, which starts a server)`;
    if (process.env.CI === 'true') throw new Error(message);
    process.stderr.write(`\n*** SKIPPED: ${message} ***\n`);
    owner.skip?.call(owner, message);
    return undefined;
  }
  const bucket = bucketName(name ?? fileLabel(owner));
  const client = new S3Client({ region: config.region, endpoint: config.endpoint, forcePathStyle: true, credentials: config.credentials });
  let dropping: Promise<void> | undefined;
  const drop = () => (dropping ??= empty(client, bucket).then(() => client.send(new DeleteBucketCommand({ Bucket: bucket }))).then(() => client.destroy()));
  // Registered before the first await so that a suite's `after` lands in the suite being defined.
  if (owner.after) owner.after.call(owner, drop);
  else after(drop);
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  const env = {
    SPARKIFY_S3_ENDPOINT: config.endpoint,
    SPARKIFY_S3_ACCESS_KEY_ID: config.credentials.accessKeyId,
    SPARKIFY_S3_SECRET_ACCESS_KEY: config.credentials.secretAccessKey,
  };
  return { bucket, url: `s3://${bucket}`, config, env, drop };
}

/** The platform's store on a test bucket, closed when the test ends; with `upload`, holding `dir` under `prefix`. */
export async function bucketStore(t: TestContext, bucket: TestBucket, upload?: { dir: string; prefix: string }): Promise<S3Store> {
  const store = new S3Store(bucket.bucket, bucket.config);
  t.after(() => store.close());
  if (upload !== undefined) await uploadTree(upload.dir, store, upload.prefix);
  return store;
}

/** `t-<label>-<random>`: a valid bucket name (lower-case, digits, '-', at most 63 characters). */
export function bucketName(label: string): string {
  const suffix = randomBytes(4).toString('hex');
  const slug = label.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63 - 't--'.length - suffix.length);
  return `t-${slug || 'bucket'}-${suffix}`;
}

function fileLabel(owner: BucketOwner): string {
  if (owner.filePath) return basename(owner.filePath).replace(/\.test\.[cm]?[jt]s$|\.[cm]?[jt]s$/, '');
  return owner.name ?? 'bucket';
}

async function empty(client: S3Client, bucket: string): Promise<void> {
  for (;;) {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
    const keys = (page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
    if (keys.length === 0) return;
    await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
  }
}
