import { resolve } from 'node:path';
import { configError } from '../core/errors.ts';

/** `--events DIR` (the course's event CSV files) or `--logs DIR` (the JSON logs): exactly one of them. */
export function playSourceFlag(raw: { events?: string; logs?: string }): { kind: 'events' | 'logs'; root: string } {
  if (raw.events !== undefined && raw.logs !== undefined) throw configError('--events and --logs: give one input, not both');
  if (raw.events !== undefined) return { kind: 'events', root: resolve(raw.events) };
  if (raw.logs !== undefined) return { kind: 'logs', root: resolve(raw.logs) };
  throw configError('--events or --logs: an input directory is required (event CSV files, or JSON logs)');
}

/** Default quarantine file: <data-dir>/rejects/<what>-<time>.ndjson, as the Postgres load names its own. */
export function defaultRejectsFile(dataDir: string, what: string): string {
  return resolve(dataDir, 'rejects', `${what}-${new Date().toISOString().replaceAll(':', '-')}.ndjson`);
}
