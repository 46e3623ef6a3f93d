import type { Location } from './location.ts';
import type { ObjectStore } from './object-store.ts';
import type { S3Config } from './s3/s3-config.ts';

/** The store behind a location. Drivers load lazily so a command pays only for the store it uses. */
export async function openStore(location: Location, s3: S3Config): Promise<ObjectStore> {
  if (location.kind === 's3') {
    const { S3Store } = await import('./s3/s3-store.ts');
    return new S3Store(location.bucket, s3);
  }
  const { LocalStore } = await import('./local/local-store.ts');
  return new LocalStore(location.root);
}
