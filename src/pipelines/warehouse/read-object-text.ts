import { basename, dirname } from 'node:path';
import type { Location } from '../../storage/location.ts';
import type { ObjectStore } from '../../storage/object-store.ts';

export type OpenStore = (location: Location) => Promise<ObjectStore>;

/** A whole small object (a jsonpaths file) as text: s3://bucket/key, or a file path. */
export async function readObjectText(location: Location, open: OpenStore): Promise<string> {
  const [where, key] = location.kind === 's3'
    ? [location, location.prefix]
    : [{ ...location, root: dirname(location.root) }, basename(location.root)];
  const store = await open(where);
  try {
    const parts: Uint8Array[] = [];
    for await (const chunk of store.get(key)) parts.push(chunk);
    return Buffer.concat(parts).toString('utf8');
  } finally {
    await store.close();
  }
}
