import type { Command } from 'commander';
import { z } from 'zod';
import { compileOptions } from '../core/options.ts';
import { childLocation, formatLocation, parseLocation } from '../storage/location.ts';
import type { WarehouseLoadRequest } from '../pipelines/warehouse/warehouse-plan.ts';
import type { Target } from '../pipelines/warehouse/targets.ts';
import { s3Flags } from './s3-options.ts';

/** Source flags shared by `warehouse load` and `warehouse plan`. */
export function sourceFlags(command: Command): Command {
  command
    .option('--from <location>', 'where song_data/, log_data/ and log_json_path.json live, as in the course bucket (s3://bucket/prefix or a directory)')
    .option('--songs <location>', 'song metadata objects (default: <from>/song_data)')
    .option('--logs <location>', 'event log objects (default: <from>/log_data)')
    .option('--json-paths <location>', "events' jsonpaths file, or 'auto' / 'auto ignorecase' (default: <from>/log_json_path.json)")
    .option('--max-errors <n>', 'rejected records tolerated per COPY before the load fails (MAXERROR)', '0');
  for (const [flag, help] of s3Flags) command.option(flag, help);
  return command;
}

const sources = z.object({
  from: z.string().min(1).optional(),
  songs: z.string().min(1).optional(),
  logs: z.string().min(1).optional(),
  jsonPaths: z.string().min(1).optional(),
  maxErrors: z.coerce.number().int().min(0).max(100_000),
  gzip: z.boolean().default(false),
  iamRole: z.string().min(1).optional(),
  region: z.string().min(1).optional(),
}).refine((o) => o.from !== undefined || (o.songs !== undefined && o.logs !== undefined), {
  message: 'give --from, or both --songs and --logs', path: ['from'],
}).refine((o) => o.from !== undefined || o.jsonPaths !== undefined, {
  message: "give the events' jsonpaths file (or 'auto'), or --from where log_json_path.json lives", path: ['jsonPaths'],
});

/** Flags into a plan request: each source defaults to its place under --from, as in the course's bucket. */
export function compileLoadRequest(target: Target, raw: unknown): WarehouseLoadRequest {
  const o = compileOptions(sources, raw);
  const under = (name: string) => formatLocation(childLocation(parseLocation(o.from as string), name));
  // Paths become absolute here, so the plan names exactly what will be read.
  const normalise = (text: string) => (text === 'auto' || text === 'auto ignorecase' ? text : formatLocation(parseLocation(text)));
  return {
    target,
    songs: normalise(o.songs ?? under('song_data')),
    events: normalise(o.logs ?? under('log_data')),
    eventsFormat: normalise(o.jsonPaths ?? under('log_json_path.json')),
    maxErrors: o.maxErrors,
    gzip: o.gzip,
    ...(o.iamRole ? { iamRole: o.iamRole } : {}),
    ...(o.region ? { region: o.region } : {}),
  };
}

export const targetOption = <T extends Target>(allowed: readonly [T, ...T[]]) => z.enum(allowed, { error: `must be one of ${allowed.join(', ')}` });
