import { createHash, createHmac, createSecretKey, type Hash, type Hmac, type KeyObject } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, SourceData } from '@smithy/types';
import { HttpPipeline } from './http-pipeline.ts';
import type { S3Config } from '../../storage/s3/s3-config.ts';

/** The SHA-256 of an empty body, which a GET signs. */
const emptyBodyHash = createHash('sha256').update('').digest('hex');

/**
 * The signing keys SignatureV4 hands in as HMAC secrets, imported once each: it keeps one per day in its own cache
 * and passes that same array every time, and importing raw key bytes costs more than the HMAC itself.
 */
const importedKeys = new WeakMap<object, KeyObject>();

/** What SignatureV4 asks of a hash: node:crypto behind the interface the SDK's own hash package implements. */
class NodeSha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    if (secret === undefined) {
      this.hash = createHash('sha256');
    } else if (typeof secret === 'string') {
      this.hash = createHmac('sha256', secret);
    } else {
      let key = importedKeys.get(secret);
      if (key === undefined) {
        key = createSecretKey(bytes(secret) as Uint8Array);
        importedKeys.set(secret, key);
      }
      this.hash = createHmac('sha256', key);
    }
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

function bytes(data: SourceData): string | Uint8Array {
  if (typeof data === 'string') return data;
  return ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
}

/** A failed GET in the shape storageError reads from the SDK's errors (name, HTTP status). */
export class SignedGetError extends Error {
  readonly $metadata: { httpStatusCode: number };
  constructor(status: number, name: string, message: string) {
    super(message);
    this.name = name;
    this.$metadata = { httpStatusCode: status };
  }
}

/** Where a GET of `key` goes: path-style at an endpoint override, virtual-hosted on AWS when the bucket allows it. */
export function objectUrl(config: Pick<S3Config, 'endpoint' | 'region'>, bucket: string, key: string): URL {
  const path = key.split('/').map(encodeRfc3986).join('/');
  if (config.endpoint !== undefined) {
    const base = new URL(config.endpoint);
    const prefix = base.pathname.replace(/\/+$/, '');
    return new URL(`${base.protocol}//${base.host}${prefix}/${bucket}/${path}`);
  }
  // Dots would break the TLS name of the bucket's host; such buckets are addressed path-style.
  const host = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(bucket) ? `${bucket}.s3.${config.region}.amazonaws.com` : `s3.${config.region}.amazonaws.com`;
  return new URL(`https://${host}/${host.startsWith(`${bucket}.`) ? '' : `${bucket}/`}${path}`);
}

/** S3's URI encoding: every byte but A-Z a-z 0-9 - . _ ~ percent-encoded (encodeURIComponent leaves !'()* alone). */
function encodeRfc3986(segment: string): string {
  return encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * GET of a whole small object: signed by the AWS SDK's SignatureV4 with the client's own credentials (static or the
 * standard chain) and sent on an HttpPipeline, several requests written ahead on each keep-alive connection
 * (`S3Config.pipelining`). The SDK's full request pipeline (middleware, endpoint rules, response parsing), and even
 * node:http alone, cost far more CPU per request, which dominates with thousands of small objects (the song files;
 * docs/decisions/2026-12-01-s3-signed-pipelined-gets.md). Large objects keep the SDK's streaming GET with its
 * resumable reads.
 */
export class SignedGet {
  private readonly config: S3Config;
  private readonly bucket: string;
  private readonly signer: SignatureV4;
  private readonly pipeline: HttpPipeline;

  constructor(bucket: string, config: S3Config, credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider) {
    this.bucket = bucket;
    this.config = config;
    this.signer = new SignatureV4({ credentials, region: config.region, service: 's3', sha256: NodeSha256, uriEscapePath: false, applyChecksum: true });
    // One bucket, so one origin: AWS's (https) or the endpoint override's.
    this.pipeline = new HttpPipeline(new URL(objectUrl(config, bucket, 'x').origin), { connections: 8, depth: config.pipelining ?? 8 });
  }

  /** The object's bytes; a non-200 answer throws a SignedGetError named after S3's error code. */
  async fetch(key: string): Promise<Buffer> {
    const url = objectUrl(this.config, this.bucket, key);
    const signed = await this.signer.sign({
      method: 'GET', protocol: url.protocol, hostname: url.hostname, ...(url.port === '' ? {} : { port: Number(url.port) }), path: url.pathname,
      query: {}, headers: { host: url.host, 'x-amz-content-sha256': emptyBodyHash },
    });
    const answer = await this.pipeline.get(url.pathname, signed.headers);
    if (answer.status === 200) return answer.body;
    const text = answer.body.toString('utf8');
    const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? (answer.status === 404 ? 'NotFound' : `HTTP${answer.status}`);
    const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? `HTTP ${answer.status}`;
    throw new SignedGetError(answer.status, code, message);
  }

  close(): void {
    this.pipeline.close();
  }
}
