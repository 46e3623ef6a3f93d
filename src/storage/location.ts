import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configError } from '../core/errors.ts';

/**
 * Where objects live: `s3://bucket/prefix`, `file:///dir` or a plain path. A local location is a store rooted
 * at that directory with an empty prefix; an S3 location is the bucket with the rest as key prefix.
 */
export type Location =
  | { kind: 's3'; bucket: string; prefix: string }
  | { kind: 'local'; root: string; prefix: string };

/** Bucket naming rules (3–63 characters of a-z, 0-9, '.', '-'), checked before any request is made. */
const bucketName = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function parseLocation(text: string): Location {
  if (text.startsWith('s3://')) {
    const rest = text.slice('s3://'.length);
    const slash = rest.indexOf('/');
    const bucket = slash === -1 ? rest : rest.slice(0, slash);
    const prefix = slash === -1 ? '' : rest.slice(slash + 1);
    if (!bucketName.test(bucket)) throw configError(`invalid S3 bucket name ${JSON.stringify(bucket)} in ${text}`);
    return { kind: 's3', bucket, prefix };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) && !text.startsWith('file://')) {
    throw configError(`unsupported location ${JSON.stringify(text)}: use s3://bucket/prefix, file:///dir or a path`);
  }
  const path = text.startsWith('file://') ? fileURLToPath(text) : text;
  return { kind: 'local', root: resolve(path), prefix: '' };
}

/** A location one level down: `child(s3://b/data, 'song_data')` is s3://b/data/song_data. */
export function childLocation(location: Location, name: string): Location {
  if (location.kind === 'local') return { ...location, root: resolve(location.root, location.prefix, name), prefix: '' };
  const base = location.prefix === '' || location.prefix.endsWith('/') ? location.prefix : `${location.prefix}/`;
  return { ...location, prefix: `${base}${name}` };
}

export function formatLocation(location: Location): string {
  return location.kind === 's3' ? `s3://${location.bucket}/${location.prefix}` : location.root;
}
