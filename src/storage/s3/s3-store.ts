import { Readable } from 'node:stream';
import { CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client, type ListObjectsV2CommandOutput } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { defaultRetryPolicy, withRetries, type RetryPolicy } from '../retry.ts';
import { smallObjectBytes, type ObjectBody, type ObjectInfo, type ObjectStore, type PutOptions, type TaggedObject } from '../object-store.ts';
import type { S3Config } from './s3-config.ts';
import { storageError } from './s3-errors.ts';
import { SparkifyError } from '../../core/errors.ts';
import { SignedGet } from '../../fastpath/s3/signed-get.ts';

/**
 * One bucket through the AWS SDK v3. Every request is retried here with backoff (the SDK's own retries are
 * off, so a request is never tried attempts² times); a download that breaks mid-way resumes with a Range
 * request pinned to the same ETag, so a long object is never re-read from the start or mixed with a newer one.
 */
export class S3Store implements ObjectStore {
  readonly kind = 's3' as const;
  readonly description: string;
  readonly bucket: string;
  private readonly client: S3Client;
  private readonly retry: RetryPolicy;
  private readonly partSize: number;
  private readonly queueSize: number;
  private readonly listPageSize: number | undefined;
  readonly s3: { bucket: string; config: S3Config };
  private signedGet: SignedGet | undefined;

  constructor(bucket: string, config: S3Config, retry: Partial<RetryPolicy> = {}) {
    this.bucket = bucket;
    this.s3 = { bucket, config };
    this.retry = { ...defaultRetryPolicy, attempts: config.attempts ?? defaultRetryPolicy.attempts, ...retry };
    this.partSize = config.partSize ?? 8 * 1024 * 1024;
    this.queueSize = config.queueSize ?? 4;
    this.listPageSize = config.listPageSize;
    this.client = new S3Client({
      region: config.region,
      ...(config.endpoint ? { endpoint: config.endpoint, forcePathStyle: true } : {}),
      ...(config.credentials ? { credentials: config.credentials } : {}),
      maxAttempts: 1,
    });
    this.description = `s3://${bucket}${config.endpoint ? ` at ${config.endpoint}` : ''}`;
  }

  async *list(prefix: string): AsyncGenerator<ObjectInfo> {
    let token: string | undefined;
    do {
      const page: ListObjectsV2CommandOutput = await withRetries(async () => {
        try {
          return await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token, MaxKeys: this.listPageSize }));
        } catch (cause) {
          throw storageError(this.url(prefix), cause);
        }
      }, this.retry);
      for (const o of page.Contents ?? []) {
        if (o.Key !== undefined) yield { key: o.Key, size: Number(o.Size ?? 0) };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  }

  async *get(key: string, size?: number): AsyncGenerator<Uint8Array> {
    if (size !== undefined && size > 0 && size <= smallObjectBytes && this.s3.config.signedGets !== false) {
      yield await this.getSmall(key);
      return;
    }
    let offset = 0;
    let etag: string | undefined;
    let total: number | undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        const body = await withRetries(async () => {
          try {
            const out = await this.client.send(new GetObjectCommand({
              Bucket: this.bucket, Key: key,
              ...(offset > 0 ? { Range: `bytes=${offset}-`, IfMatch: etag } : {}),
            }));
            etag ??= out.ETag;
            total ??= out.ContentLength;
            return out.Body as Readable;
          } catch (cause) {
            throw storageError(this.url(key), cause);
          }
        }, this.retry);
        // An empty object has nothing to resume from; the Range request would be unsatisfiable.
        if (total === 0) return;
        for await (const chunk of body as AsyncIterable<Uint8Array>) {
          offset += chunk.length;
          yield chunk;
        }
        return;
      } catch (error) {
        const failure = storageError(this.url(key), error);
        if (!failure.retryable || attempt >= this.retry.attempts) throw failure;
      }
    }
  }

  async s3Credentials(): Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }> {
    const c = await this.client.config.credentials();
    return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}) };
  }

  /** A small object in one signed GET, retried whole like any request. */
  private getSmall(key: string): Promise<Buffer> {
    this.signedGet ??= new SignedGet(this.bucket, this.s3.config, this.client.config.credentials);
    const signed = this.signedGet;
    return withRetries(async () => {
      try {
        return await signed.fetch(key);
      } catch (cause) {
        throw storageError(this.url(key), cause);
      }
    }, this.retry);
  }

  async put(key: string, body: ObjectBody, options: PutOptions = {}): Promise<void> {
    await withRetries(async () => {
      try {
        // Upload sends small bodies in one PUT and large ones as a multipart upload, aborted if a part fails.
        const upload = new Upload({
          client: this.client,
          params: {
            Bucket: this.bucket,
            Key: key,
            Body: typeof body === 'function' ? Readable.from(body()) : body,
            ...(options.contentType ? { ContentType: options.contentType } : {}),
          },
          partSize: this.partSize,
          queueSize: this.queueSize,
          leavePartsOnError: false,
        });
        await upload.done();
      } catch (cause) {
        throw storageError(this.url(key), cause);
      }
    }, this.retry);
  }

  async delete(key: string): Promise<void> {
    await withRetries(async () => {
      try {
        await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
      } catch (cause) {
        throw storageError(this.url(key), cause);
      }
    }, this.retry);
  }

  async getTagged(key: string): Promise<TaggedObject | undefined> {
    try {
      return await withRetries(async () => {
        try {
          const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
          const body = Buffer.from(await (out.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
          return { body, etag: out.ETag ?? '' };
        } catch (cause) {
          throw storageError(this.url(key), cause);
        }
      }, this.retry);
    } catch (error) {
      if (error instanceof SparkifyError && error.code === 'SPK_E_INPUT_UNREADABLE') return undefined;
      throw error;
    }
  }

  // The conditional requests below are retried like any other. A retry whose first try did land (its answer lost)
  // is refused (412) as if another writer had won: the caller reads the object back to tell (the lake's lock does).

  async putIfAbsent(key: string, body: string): Promise<string | undefined> {
    return this.conditional(key, async () => (await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body,
      ContentType: 'application/json', IfNoneMatch: '*' }))).ETag ?? '');
  }

  async putIfMatch(key: string, body: string, etag: string): Promise<string | undefined> {
    return this.conditional(key, async () => (await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body,
      ContentType: 'application/json', IfMatch: etag }))).ETag ?? '');
  }

  async deleteIfMatch(key: string, etag: string): Promise<boolean> {
    return (await this.conditional(key, async () => {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key, IfMatch: etag }));
      return true;
    })) ?? false;
  }

  /**
   * One conditional request (S3 conditional writes): undefined when its condition failed: 412 PreconditionFailed, 409
   * ConditionalRequestConflict (another conditional write to the key at the same moment) or 404 (the object is gone).
   */
  private async conditional<T>(key: string, send: () => Promise<T>): Promise<T | undefined> {
    return withRetries(async () => {
      try {
        return await send();
      } catch (cause) {
        const e = cause as { name?: string; $metadata?: { httpStatusCode?: number } };
        const status = e.$metadata?.httpStatusCode;
        if (status === 412 || status === 409 || (status === 404 && e.name !== 'NoSuchBucket')) return undefined;
        throw storageError(this.url(key), cause);
      }
    }, this.retry);
  }

  async ensureRoot(): Promise<void> {
    await withRetries(async () => {
      try {
        await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
      } catch (cause) {
        const failure = storageError(`s3://${this.bucket}`, cause);
        if (failure.code !== 'SPK_E_INPUT_UNREADABLE') throw failure;
        try {
          await this.client.send(new CreateBucketCommand({ Bucket: this.bucket }));
        } catch (createCause) {
          // Another client may have created it in between: that is the outcome we wanted.
          if ((createCause as { name?: string }).name !== 'BucketAlreadyOwnedByYou') throw storageError(`s3://${this.bucket}`, createCause);
        }
      }
    }, this.retry);
  }

  url(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }

  async close(): Promise<void> {
    this.signedGet?.close();
    this.client.destroy();
  }
}
