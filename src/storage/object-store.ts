/**
 * The small interface every object store implements (a local directory, S3 or anything speaking its API).
 * Keys are '/'-separated and relative to the store's root (a directory, or a bucket). Pipeline code asks this
 * interface; only the store folders import a driver.
 */
import type { S3Config } from './s3/s3-config.ts';

export interface ObjectInfo {
  key: string;
  size: number;
}

/** A body that can be produced again, so a failed upload can be retried from the start. */
export type ObjectBody = Uint8Array | string | (() => AsyncIterable<Uint8Array>);

export interface ObjectStore {
  readonly kind: StoreKind;
  /** Human-readable location, never including credentials. */
  readonly description: string;
  /** Every object whose key starts with `prefix`, in key order, fetched page by page. */
  list(prefix: string): AsyncIterable<ObjectInfo>;
  /**
   * The object's bytes, streamed in bounded memory. `size`, when the caller knows it from the listing, lets a store
   * fetch a small object in one cheaper request.
   */
  get(key: string, size?: number): AsyncIterable<Uint8Array>;
  /** Writes the object whole: readers never see a partial object. */
  put(key: string, body: ObjectBody, options?: PutOptions): Promise<void>;
  /** Removes the object; a key that does not exist is no error (S3's DeleteObject). */
  delete(key: string): Promise<void>;
  /** A small object read whole with its tag (S3's ETag; a content hash locally); undefined when there is none. */
  getTagged(key: string): Promise<TaggedObject | undefined>;
  /**
   * Creates the object only if no object has the key, atomically (S3: a PUT with `If-None-Match: *`): its tag, or
   * undefined when one exists. Two callers at once: one gets a tag.
   */
  putIfAbsent(key: string, body: string): Promise<string | undefined>;
  /** Replaces the object only if its tag is still `etag` (S3: `If-Match`): the new tag, or undefined when it changed or is gone. */
  putIfMatch(key: string, body: string, etag: string): Promise<string | undefined>;
  /** Deletes the object only if its tag is still `etag`: false when it changed or is gone. */
  deleteIfMatch(key: string, etag: string): Promise<boolean>;
  /** Creates the bucket (or root directory) unless it exists. */
  ensureRoot(): Promise<void>;
  /** An S3 store's bucket and settings, as plain data: enough to open it again in a worker thread. */
  readonly s3?: { bucket: string; config: S3Config };
  /** An S3 store's credentials as its client resolves them (static, or from the AWS SDK's standard chain): for an
   * engine that reads the objects itself. Never logged. */
  s3Credentials?(): Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }>;
  /** The URL that names `key` in messages and load-error records (s3://bucket/key, or a file path). */
  url(key: string): string;
  close(): Promise<void>;
}

/** A small object: what a store may fetch whole in one request when get() is told its size. */
export const smallObjectBytes = 1024 * 1024;

/** What a compare-and-swap compares: an object's bytes and the tag of exactly those bytes. */
export interface TaggedObject {
  body: Buffer;
  etag: string;
}

export interface PutOptions {
  contentType?: string;
}

export type StoreKind = 'local' | 's3';

/** Joins a prefix and a relative name with exactly one '/'. */
export function joinKey(prefix: string, name: string): string {
  if (prefix === '') return name;
  return prefix.endsWith('/') ? `${prefix}${name}` : `${prefix}/${name}`;
}
