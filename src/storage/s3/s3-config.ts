/** What the S3 store needs, compiled once by the CLI (flags, then SPARKIFY_S3_* settings, then the AWS chain). */
export interface S3Config {
  region: string;
  /** An S3-compatible server (versitygw, MinIO, …): requests go there, path-style (`/bucket/key`). */
  endpoint?: string;
  /** Static credentials; when absent, the AWS SDK's standard chain (env, profile, SSO, instance role) applies. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Tries per request, the first included (default 5). */
  attempts?: number;
  /** Keys per list request (default: the server's, 1,000 on AWS). */
  listPageSize?: number;
  /** Small-object GETs written ahead of their answers on each keep-alive connection (HTTP/1.1 pipelining; default 8, 1 = off). */
  pipelining?: number;
  /**
   * Small objects in one hand-signed GET on sparkify's own HTTP client (signed-get.ts, with `pipelining`): a fast path.
   * false (the fast paths off): every GET through the AWS SDK.
   */
  signedGets?: boolean;
  /** Multipart uploads: part size in bytes (default 8 MiB) and parts in flight (default 4). */
  partSize?: number;
  queueSize?: number;
}
