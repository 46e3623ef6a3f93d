import type { DatasetRef } from '../dag/serialized-dag.ts';

/**
 * Lineage names. A table is its plain name (`songplays`): `sparkify lineage songplays` follows outlets to inlets by
 * name, so the writer of staging_events and its reader must name it alike. Objects are a location and key prefix.
 */
export const table = (name: string): DatasetRef => ({ kind: 'table', name });
export const objects = (name: string): DatasetRef => ({ kind: 'objects', name });

/** The constant part of a templated key, up to its first template tag: `log_data/{{ … }}` is `log_data/`. */
export function staticPrefix(key: string): string {
  const at = key.search(/\{[{%]/);
  return at === -1 ? key : key.slice(0, at);
}

/** `key` under `base` (a directory or s3://bucket), with one '/' between. */
export function under(base: string, key: string): string {
  const k = key.replace(/^\/+/, '');
  return base.endsWith('/') ? `${base}${k}` : `${base}/${k}`;
}
